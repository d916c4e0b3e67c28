package io.earshot.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerOutageTrackerTest {

    private final BrokerOutageTracker tracker = new BrokerOutageTracker(10_000);
    private final List<String> lines = new ArrayList<>();
    private long now = 1_000_000;
    private double closes = 3;
    private double creations = 4;

    private void second() {
        now += 1000;
        tracker.observe(now, closes, creations).ifPresent(lines::add);
    }

    @Test
    void aSixtySecondOutageGivesOneLineAtTheStartOneEveryTenSecondsAndOneAtTheEnd() {
        second();
        second();
        // reconnect attempts after 1, 2, 4, 8 s, then every 10 s (KafkaClientDefaults): 10 attempts in 60 s
        long[] attemptsAt = {1, 3, 7, 15, 25, 35, 45, 55};
        int t = 0;
        for (int s = 1; s <= 60; s++) {
            for (long a : attemptsAt) {
                if (a == s) {
                    closes++;
                }
            }
            second();
            t++;
        }
        creations++; // back
        second();
        assertTrue(lines.get(0).startsWith("cannot reach the Kafka broker"), lines.toString());
        assertTrue(lines.get(lines.size() - 1).startsWith("reached the Kafka broker again after"), lines.toString());
        assertTrue(lines.get(lines.size() - 1).contains("(8 failed connection attempts)"), lines.toString());
        // 1 at the start (after the second failed attempt, 3 s in), then one every 10 s, then the return
        assertEquals(1 + 5 + 1, lines.size(), lines.toString());
        assertEquals(60, t);
    }

    @Test
    void oneClosedIdleConnectionIsNotAnOutage() {
        second();
        closes += 2;          // connections.max.idle.ms reaped two connections at once
        second();
        for (int i = 0; i < 30; i++) {
            second();
        }
        creations++;
        closes++;
        second();
        assertEquals(List.of(), lines);
    }

    @Test
    void normalTrafficLogsNothing() {
        for (int i = 0; i < 100; i++) {
            if (i % 7 == 0) {
                creations++;
                closes++;
            }
            second();
        }
        assertEquals(List.of(), lines);
    }
}
