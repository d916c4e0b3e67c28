package io.earshot.dsp.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchEventDecoderTest {

    @Test
    void hysteresisKeepsAnEventAliveBetweenTheThresholds() {
        float[] s = {0.1f, 0.55f, 0.7f, 0.5f, 0.35f, 0.2f, 0.5f, 0.1f};
        // on 0.6, off 0.3: starts at frame 2 (0.55 is below on), stays through 0.5 and 0.35, ends before 0.2;
        // frame 6 (0.5) does not reach on again.
        List<DecodedEvent> events = BatchEventDecoder.decode(s, 100, new DecoderConfig(0.6f, 0.3f, 1, 1, 0));
        assertEquals(1, events.size());
        DecodedEvent e = events.get(0);
        assertEquals(102, e.onsetFrame());
        assertEquals(105, e.endFrameExclusive());
        assertEquals((0.7 + 0.5 + 0.35) / 3, e.meanScore(), 1e-6);
    }

    @Test
    void gapsUpToMaxGapAreMergedThenShortEventsDropped() {
        float[] s = {0, 0.9f, 0.9f, 0, 0, 0.9f, 0, 0, 0, 0.9f, 0, 0.9f, 0.9f, 0.9f, 0.9f};
        DecoderConfig merge2 = new DecoderConfig(0.5f, 0.5f, 1, 4, 2);
        // [1,3) + gap 2 + [5,6) -> [1,6) length 5 kept; gap 3 to frame 9: new event [9,10) + gap 1 + [11,15) -> [9,15).
        List<DecodedEvent> events = BatchEventDecoder.decode(s, 0, merge2);
        assertEquals(List.of(1L, 9L), events.stream().map(DecodedEvent::onsetFrame).toList());
        assertEquals(List.of(6L, 15L), events.stream().map(DecodedEvent::endFrameExclusive).toList());
        assertEquals((0.9 * 3) / 5, events.get(0).meanScore(), 1e-6, "gap frames count in the mean");

        DecoderConfig noMerge = new DecoderConfig(0.5f, 0.5f, 1, 4, 0);
        List<DecodedEvent> unmerged = BatchEventDecoder.decode(s, 0, noMerge);
        assertEquals(1, unmerged.size());
        assertEquals(11, unmerged.get(0).onsetFrame());
    }

    @Test
    void medianFilterRemovesShortBlipsBeforeThresholding() {
        float[] s = {0, 0, 0.9f, 0, 0, 0.9f, 0.9f, 0.1f, 0.9f, 0.9f, 0, 0};
        List<DecodedEvent> events = BatchEventDecoder.decode(s, 0, new DecoderConfig(0.5f, 0.5f, 3, 1, 0));
        assertEquals(1, events.size());
        assertEquals(5, events.get(0).onsetFrame());
        assertEquals(10, events.get(0).endFrameExclusive());
        assertEquals((0.9 * 4 + 0.1) / 5, events.get(0).meanScore(), 1e-6);
    }

    @Test
    void anEventRunningToTheEndIsClosedThere() {
        float[] s = {0, 0.8f, 0.8f};
        List<DecodedEvent> events = BatchEventDecoder.decode(s, 0, DecoderConfig.threshold(0.5f));
        assertEquals(1, events.size());
        assertEquals(3, events.get(0).endFrameExclusive());
    }

    @Test
    void thresholdsAreStrictAsInTheTrainingDecoder() {
        // 0.5 and 0.25 are exact in float and double: 0.5 does not start an event at threshold 0.5,
        // 0.25 does not keep one alive at 0.25.
        float[] s = {0.5f, 0.5f, 0.51f, 0.25f, 0.3f, 0.5f};
        List<DecodedEvent> events = BatchEventDecoder.decode(s, 0, new DecoderConfig(0.5, 0.25, 1, 1, 0));
        assertEquals(List.of(2L), events.stream().map(DecodedEvent::onsetFrame).toList());
        assertEquals(3, events.get(0).endFrameExclusive());
    }

    @Test
    void secondsBecomeWholeFramesAsThePythonComparisonsWould() {
        double hop = 1024 / 16000.0; // 0.064 s
        DecoderConfig c = DecoderConfig.fromSeconds(0.5, 0.3, 5, 0.1, 0.2, hop);
        assertEquals(2, c.minDurationFrames(), "2 x 0.064 = 0.128 >= 0.1 > 0.064");
        assertEquals(3, c.maxGapFrames(), "3 x 0.064 = 0.192 <= 0.2 < 0.256");
        DecoderConfig exact = DecoderConfig.fromSeconds(0.5, 0.3, 1, 3 * hop, 3 * hop, hop);
        assertEquals(3, exact.minDurationFrames());
        assertEquals(3, exact.maxGapFrames());
        DecoderConfig zero = DecoderConfig.fromSeconds(0.5, 0.3, 1, 0, 0, hop);
        assertEquals(1, zero.minDurationFrames());
        assertEquals(0, zero.maxGapFrames());
        assertThrows(IllegalArgumentException.class, () -> DecoderConfig.fromSeconds(0.5, 0.3, 1, -1, 0, hop));
    }

    @Test
    void configIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new DecoderConfig(0.4f, 0.5f, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new DecoderConfig(0.5f, 0.5f, 2, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new DecoderConfig(0.5f, 0.5f, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new DecoderConfig(Float.NaN, 0.5f, 1, 1, 0));
        assertEquals(3, new DecoderConfig(0.5f, 0.3f, 7, 1, 0).lookaheadFrames());
    }
}
