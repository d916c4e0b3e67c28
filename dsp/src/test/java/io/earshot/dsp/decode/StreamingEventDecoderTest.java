package io.earshot.dsp.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.dsp.features.NonContiguousInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamingEventDecoderTest {

    /** Scores with bursts of activity, near-threshold wobble and dropouts: the cases the rules exist for. */
    static float[] randomScores(Random rnd, int n) {
        float[] s = new float[n];
        float level = 0.1f;
        for (int t = 0; t < n; t++) {
            if (rnd.nextInt(12) == 0) {
                level = rnd.nextFloat();
            }
            float v = level + (float) rnd.nextGaussian() * 0.15f;
            if (rnd.nextInt(25) == 0) {
                v = rnd.nextFloat();
            }
            s[t] = Math.max(0f, Math.min(1f, v));
        }
        return s;
    }

    static DecoderConfig randomConfig(Random rnd) {
        float on = 0.3f + 0.5f * rnd.nextFloat();
        float off = on * rnd.nextFloat();
        return new DecoderConfig(on, off, 1 + 2 * rnd.nextInt(5), 1 + rnd.nextInt(6), rnd.nextInt(5));
    }

    /** Replays transitions into events, checking that every Offset follows its own Onset. */
    static List<DecodedEvent> eventsOf(List<EventTransition> transitions) {
        List<DecodedEvent> events = new ArrayList<>();
        Long open = null;
        for (EventTransition tr : transitions) {
            if (tr instanceof EventTransition.Onset on) {
                assertEquals(null, open, "onset while an event is open: " + tr);
                open = on.frameIndex();
            } else {
                EventTransition.Offset off = (EventTransition.Offset) tr;
                assertEquals(open, off.onsetFrame(), "offset without its onset: " + tr);
                open = null;
                events.add(off.event());
            }
        }
        assertEquals(null, open, "event left open after flush");
        return events;
    }

    @Test
    void streamingGivesTheBatchEventsOnRandomScores() {
        Random rnd = new Random(20261124L);
        int nonEmpty = 0;
        for (int trial = 0; trial < 500; trial++) {
            DecoderConfig config = randomConfig(rnd);
            float[] scores = randomScores(rnd, 1 + rnd.nextInt(300));
            long first = rnd.nextInt(1000);
            StreamingEventDecoder decoder = new StreamingEventDecoder(config);
            List<EventTransition> transitions = new ArrayList<>(decoder.pushAll(first, scores));
            transitions.addAll(decoder.flush());
            List<DecodedEvent> expected = BatchEventDecoder.decode(scores, first, config);
            // Exact equality, confidences included: both sum the same floats in the same order.
            assertEquals(expected, eventsOf(transitions), "trial " + trial + " " + config);
            nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(nonEmpty > 300, "the random cases must exercise events, got " + nonEmpty + " with events");
    }

    @Test
    void snapshotRestoreAnywhereGivesTheSameTransitions() {
        Random rnd = new Random(77);
        for (int trial = 0; trial < 200; trial++) {
            DecoderConfig config = randomConfig(rnd);
            float[] scores = randomScores(rnd, 50 + rnd.nextInt(200));
            StreamingEventDecoder straight = new StreamingEventDecoder(config);
            List<EventTransition> expected = new ArrayList<>(straight.pushAll(0, scores));
            expected.addAll(straight.flush());

            int cut = rnd.nextInt(scores.length + 1);
            StreamingEventDecoder before = new StreamingEventDecoder(config);
            List<EventTransition> got = new ArrayList<>();
            for (int t = 0; t < cut; t++) {
                got.addAll(before.push(t, scores[t]));
            }
            byte[] stored = before.snapshot().toBytes();
            StreamingEventDecoder after = StreamingEventDecoder.restore(config, DecoderState.fromBytes(stored));
            assertEquals(before.snapshot(), after.snapshot());
            for (int t = cut; t < scores.length; t++) {
                got.addAll(after.push(t, scores[t]));
            }
            got.addAll(after.flush());
            assertEquals(expected, got, "trial " + trial + " cut at " + cut + " " + config);
        }
    }

    @Test
    void onsetComesAfterLookaheadAndMinDurationOffsetAfterTheGap() {
        DecoderConfig config = new DecoderConfig(0.5f, 0.5f, 3, 3, 2);
        StreamingEventDecoder d = new StreamingEventDecoder(config);
        float[] s = {0, 0, 0.9f, 0.9f, 0.9f, 0.9f, 0, 0, 0, 0, 0};
        List<List<EventTransition>> perFrame = new ArrayList<>();
        for (int t = 0; t < s.length; t++) {
            perFrame.add(d.push(t, s[t]));
        }
        // Frame 2 starts the event; with lookahead 1 and min duration 3 the onset is known once frame 4
        // is decided, i.e. when frame 5 arrives.
        for (int t = 0; t < 5; t++) {
            assertTrue(perFrame.get(t).isEmpty(), "nothing before frame 5, got " + perFrame.get(t) + " at " + t);
        }
        assertEquals(1, perFrame.get(5).size());
        EventTransition.Onset on = assertInstanceOf(EventTransition.Onset.class, perFrame.get(5).get(0));
        assertEquals(2, on.frameIndex());
        assertEquals(0.9, on.meanScoreSoFar(), 1e-6);
        // Last active frame 5; the gap exceeds 2 frames at frame 8, decided when frame 9 arrives.
        assertTrue(perFrame.get(8).isEmpty());
        EventTransition.Offset off = assertInstanceOf(EventTransition.Offset.class, perFrame.get(9).get(0));
        assertEquals(2, off.onsetFrame());
        assertEquals(6, off.endFrameExclusive());
        assertEquals(0.9, off.meanScore(), 1e-6);
        assertTrue(d.flush().isEmpty());
    }

    @Test
    void flushClosesTheOpenEventAndStartsAFreshStream() {
        StreamingEventDecoder d = new StreamingEventDecoder(new DecoderConfig(0.5f, 0.3f, 5, 1, 3));
        // Lookahead 2: the five pushes decide frames 10..12; frame 11 (median 0.8) starts the event.
        List<EventTransition> pushed = d.pushAll(10, new float[] {0.1f, 0.8f, 0.8f, 0.8f, 0.8f});
        assertEquals(1, pushed.size());
        assertEquals(11, assertInstanceOf(EventTransition.Onset.class, pushed.get(0)).frameIndex());
        List<EventTransition> flushed = d.flush();
        assertEquals(1, flushed.size());
        EventTransition.Offset off = assertInstanceOf(EventTransition.Offset.class, flushed.get(0));
        assertEquals(11, off.onsetFrame());
        assertEquals(15, off.endFrameExclusive());
        assertEquals(0.8, off.meanScore(), 1e-6);
        assertEquals(-1, d.expectedNextFrame());
        // After a flush the next stream may start anywhere, e.g. after a gap.
        assertTrue(d.push(500, 0.1f).isEmpty());
        assertEquals(501, d.expectedNextFrame());
    }

    @Test
    void rejectsGapsAndNonFiniteScoresWithoutChangingState() {
        StreamingEventDecoder d = new StreamingEventDecoder(new DecoderConfig(0.5f, 0.5f, 3, 1, 0));
        d.push(7, 0.2f);
        DecoderState before = d.snapshot();
        NonContiguousInputException e = assertThrows(NonContiguousInputException.class, () -> d.push(9, 0.2f));
        assertEquals(8, e.expected());
        assertEquals(9, e.got());
        assertThrows(NonContiguousInputException.class, () -> d.push(7, 0.2f));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> d.push(8, Float.NaN));
        assertTrue(nan.getMessage().contains("frame 8"), nan.getMessage());
        assertEquals(before, d.snapshot());
    }

    @Test
    void restoreRejectsStateFromAnotherMedianLength() {
        StreamingEventDecoder d = new StreamingEventDecoder(new DecoderConfig(0.5f, 0.5f, 3, 1, 0));
        d.pushAll(0, new float[] {0.1f, 0.2f, 0.3f, 0.4f});
        DecoderState state = d.snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamingEventDecoder.restore(new DecoderConfig(0.5f, 0.5f, 5, 1, 0), state));
        assertTrue(e.getMessage().contains("medianFrames=3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DecoderState.fromBytes(new byte[] {1, 1}));
    }
}
