package io.earshot.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DetectorCatchUpTest {

    private static final TopicPartition P0 = new TopicPartition("earshot.audio", 0);
    private static final TopicPartition P1 = new TopicPartition("earshot.audio", 1);

    @Test
    void caughtUpOnlyWhenEveryNonEmptyPartitionIsCommittedToItsEnd() {
        Map<TopicPartition, Long> ends = Map.of(P0, 120L, P1, 0L);
        assertTrue(DetectorCatchUp.reached(Map.of(P0, 120L), ends), "an empty partition needs no commit");
        assertFalse(DetectorCatchUp.reached(Map.of(P0, 119L), ends));
        assertFalse(DetectorCatchUp.reached(Map.of(), ends), "nothing committed yet");
        assertFalse(DetectorCatchUp.reached(Map.of(P0, 120L), Map.of(P0, 120L, P1, 5L)));
    }
}
