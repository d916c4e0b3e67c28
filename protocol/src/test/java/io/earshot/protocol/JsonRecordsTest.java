package io.earshot.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonRecordsTest {

    @Test
    void soundEventRoundTripsWithSnakeCaseFieldsAndLowercaseState() {
        String id = EventIds.of("kitchen", "s1", "Speech", 16000);
        SoundEvent end = new SoundEvent(id, "kitchen", "s1", "Speech", SoundEvent.State.END, 16000L, 48000L, 16000,
                1.0, 3.0, 1_700_000_001_000_000L, 1_700_000_003_000_000L, 0.87, "earshot-sed", "1.0.0");
        JsonSerde<SoundEvent> serde = JsonSerde.soundEvents();
        String json = new String(serde.toBytes(end), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"state\":\"end\""), json);
        assertTrue(json.contains("\"onset_s\":1.0"), json);
        assertEquals(end, serde.fromBytes(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(2.0, end.durationSec());
    }

    @Test
    void endRecordWithoutOffsetIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SoundEvent("x", "a", "s", "Bird", SoundEvent.State.END,
                0, null, 16000, 0, null, 0, null, 0.5, "m", "1"));
    }

    @Test
    void eventIdsAreDeterministicAndDistinguishEveryField() {
        String base = EventIds.of("a", "s", "Bird", 10);
        assertEquals(base, EventIds.of("a", "s", "Bird", 10));
        assertEquals(32, base.length());
        assertNotEquals(base, EventIds.of("b", "s", "Bird", 10));
        assertNotEquals(base, EventIds.of("a", "t", "Bird", 10));
        assertNotEquals(base, EventIds.of("a", "s", "Music", 10));
        assertNotEquals(base, EventIds.of("a", "s", "Bird", 11));
        // The separator keeps ("ab","c") and ("a","bc") apart.
        assertNotEquals(EventIds.of("ab", "c", "L", 1), EventIds.of("a", "bc", "L", 1));
    }

    @Test
    void frameScoresRoundTripAndKnowTheirFrameTimes() {
        FrameScores block = new FrameScores("src", "s", 16000, 2, 384 + 2048, 1024, 0L, List.of("A", "B"),
                List.of(new float[] {0.1f, 0.9f}, new float[] {0.2f, 0.8f}), "m", "1");
        FrameScores back = JsonSerde.frameScores().fromBytes(JsonSerde.frameScores().toBytes(block));
        assertArrayEquals(new float[] {0.2f, 0.8f}, back.scores().get(1));
        assertEquals((384 + 2048 + 1024) / 16000.0, back.frameOnsetSec(1), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new FrameScores("src", "s", 16000, 0, 0, 1024, 0L,
                List.of("A", "B"), List.of(new float[] {0.1f}), "m", "1"));
    }

    @Test
    void malformedJsonGivesSerializationErrorNamingTheType() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> JsonSerde.energyReports().fromBytes("{not json".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("EnergyReport"), e.getMessage());
    }

    @Test
    void topicPrefixAppliesToEveryTopicAndInvalidNamesFail() {
        Topics t = Topics.withPrefix("lab1.");
        assertEquals("lab1.audio.dlq", t.audioDlq());
        assertEquals("earshot.events", Topics.defaults().events());
        assertThrows(IllegalArgumentException.class, () -> Topics.withPrefix("bad prefix "));
    }
}
