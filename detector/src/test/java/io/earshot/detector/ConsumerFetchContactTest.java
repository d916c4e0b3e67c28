package io.earshot.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class ConsumerFetchContactTest {

    private double fetches;
    private double restoreFetches;

    private Map<MetricName, ? extends Metric> metrics() {
        Map<MetricName, Metric> m = new HashMap<>();
        m.put(new MetricName("fetch-total", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", "app-StreamThread-1-consumer")), metric(fetches));
        m.put(new MetricName("fetch-total", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", "app-StreamThread-1-restore-consumer")), metric(restoreFetches));
        m.put(new MetricName("fetch-rate", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", "app-StreamThread-1-consumer")), metric(99));
        return m;
    }

    private static Metric metric(double value) {
        return new Metric() {
            @Override
            public MetricName metricName() {
                return null;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        };
    }

    @Test
    void answeringWhileFetchesCompleteAwayAfterAGapAndBackFromTheFirstNewFetch() {
        ConsumerFetchContact contact = new ConsumerFetchContact(this::metrics);
        long t = 1_000_000;
        assertEquals(Long.MIN_VALUE, contact.answeringSinceMs(t), "answering from the start");
        for (int i = 0; i < 5; i++) {
            fetches += 2;
            t += 1000;
            assertEquals(Long.MIN_VALUE, contact.answeringSinceMs(t));
        }
        // the broker goes: no fetch completes; a gap up to GAP_MS is still contact
        t += ConsumerFetchContact.GAP_MS;
        assertEquals(Long.MIN_VALUE, contact.answeringSinceMs(t));
        restoreFetches += 5; // a restore consumer's fetches do not count
        t += 1000;
        assertEquals(Long.MAX_VALUE, contact.answeringSinceMs(t), "away");
        t += 30_000;
        assertEquals(Long.MAX_VALUE, contact.answeringSinceMs(t), "still away");
        fetches += 1;
        t += 1000;
        long back = t;
        assertEquals(back, contact.answeringSinceMs(t), "back: idle time counts from here");
        fetches += 2;
        t += 1000;
        assertEquals(back, contact.answeringSinceMs(t));
    }
}
