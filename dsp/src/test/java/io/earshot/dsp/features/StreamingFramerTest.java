package io.earshot.dsp.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class StreamingFramerTest {

    private static final LogMelSpec SPEC;

    static {
        float[] mean = new float[64];
        float[] std = new float[64];
        for (int m = 0; m < 64; m++) {
            mean[m] = -8f + m * 0.05f;
            std[m] = 2f + m * 0.02f;
        }
        SPEC = LogMelSpec.earshotV1(mean, std);
    }

    private static final float[] SIGNAL = LogMelExtractorTest.noisyTones(16000 * 2 + 777, 5);

    /** Pushes SIGNAL (starting at absolute sample {@code first}) in chunks whose sizes come from {@code sizes}. */
    private static List<LogMelFrame> pushInChunks(StreamingFramer framer, long first, float[] signal, IntUnaryOperator sizes) {
        List<LogMelFrame> frames = new ArrayList<>();
        int pos = 0;
        int chunk = 0;
        while (pos < signal.length) {
            int n = Math.min(signal.length - pos, sizes.applyAsInt(chunk++));
            frames.addAll(framer.push(first + pos, Arrays.copyOfRange(signal, pos, pos + n)));
            pos += n;
        }
        return frames;
    }

    private static void assertSameFrames(List<LogMelFrame> expected, List<LogMelFrame> actual, String how) {
        assertEquals(expected.size(), actual.size(), how + ": frame count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).index(), actual.get(i).index(), how + ": index of frame " + i);
            // Bit-identical, not approximately equal: chunking must not change a single bit.
            assertArrayEquals(expected.get(i).values(), actual.get(i).values(), how + ": frame " + i);
        }
    }

    @Test
    void framesDoNotDependOnChunking() {
        List<LogMelFrame> whole = new StreamingFramer(SPEC).push(0, SIGNAL);
        assertEquals(SPEC.frameCount(SIGNAL.length), whole.size());
        float[][] batch = new LogMelExtractor(SPEC).normalisedAll(SIGNAL);
        for (int i = 0; i < batch.length; i++) {
            assertEquals(i, whole.get(i).index());
            assertArrayEquals(batch[i], whole.get(i).values());
        }
        Random rnd = new Random(42);
        int[] randomSizes = rnd.ints(20000, 0, 3000).toArray();
        assertSameFrames(whole, pushInChunks(new StreamingFramer(SPEC), 0, SIGNAL, c -> 1), "1-sample chunks");
        assertSameFrames(whole, pushInChunks(new StreamingFramer(SPEC), 0, SIGNAL, c -> 160), "10 ms chunks");
        assertSameFrames(whole, pushInChunks(new StreamingFramer(SPEC), 0, SIGNAL, c -> 1600), "100 ms chunks");
        assertSameFrames(whole, pushInChunks(new StreamingFramer(SPEC), 0, SIGNAL, c -> 16000), "1 s chunks");
        assertSameFrames(whole, pushInChunks(new StreamingFramer(SPEC), 0, SIGNAL, c -> randomSizes[c]), "random chunks (with empty ones)");
    }

    @Test
    void framersSharingOneExtractorGiveTheFramesOfSeparateOnes() {
        // Three streams pushed in turn, as the detector's stream thread sees its sources, through one
        // extractor (one restored mid-stream): each gets bit-identical frames to a framer of its own.
        float[][] signals = {SIGNAL, LogMelExtractorTest.noisyTones(16000 + 333, 8), LogMelExtractorTest.noisyTones(9000, 2)};
        LogMelExtractor shared = new LogMelExtractor(SPEC);
        StreamingFramer[] framers = new StreamingFramer[signals.length];
        List<List<LogMelFrame>> got = new ArrayList<>();
        for (int s = 0; s < signals.length; s++) {
            framers[s] = new StreamingFramer(SPEC, shared);
            got.add(new ArrayList<>());
        }
        int[] pos = new int[signals.length];
        for (int round = 0; ; round++) {
            boolean any = false;
            for (int s = 0; s < signals.length; s++) {
                int n = Math.min(signals[s].length - pos[s], 1000 + 137 * s);
                if (n <= 0) {
                    continue;
                }
                any = true;
                got.get(s).addAll(framers[s].push(pos[s], Arrays.copyOfRange(signals[s], pos[s], pos[s] + n)));
                pos[s] += n;
            }
            if (round == 5) {
                framers[1] = StreamingFramer.restore(SPEC, framers[1].snapshot(), shared);
            }
            if (!any) {
                break;
            }
        }
        for (int s = 0; s < signals.length; s++) {
            assertSameFrames(new StreamingFramer(SPEC).push(0, signals[s]), got.get(s), "stream " + s + " with a shared extractor");
        }
    }

    @Test
    void snapshotAndRestoreMidStreamGiveIdenticalOutput() {
        List<LogMelFrame> whole = new StreamingFramer(SPEC).push(0, SIGNAL);
        Random rnd = new Random(9);
        for (int trial = 0; trial < 20; trial++) {
            int cut = rnd.nextInt(SIGNAL.length);
            StreamingFramer first = new StreamingFramer(SPEC);
            List<LogMelFrame> frames = new ArrayList<>(pushInChunks(first, 0, Arrays.copyOf(SIGNAL, cut), c -> 333));
            FramerState state = first.snapshot();
            assertTrue(state.pending().length < SPEC.winLength(), "state stays small: " + state);
            // Through bytes, as a state store would keep it.
            StreamingFramer resumed = StreamingFramer.restore(SPEC, FramerState.fromBytes(state.toBytes()));
            assertEquals(first.snapshot(), resumed.snapshot());
            frames.addAll(pushInChunks(resumed, cut, Arrays.copyOfRange(SIGNAL, cut, SIGNAL.length), c -> 1000));
            assertSameFrames(whole, frames, "restored at sample " + cut);
        }
    }

    @Test
    void freshFramerSnapshotRoundTrips() {
        FramerState fresh = new StreamingFramer(SPEC).snapshot();
        StreamingFramer restored = StreamingFramer.restore(SPEC, FramerState.fromBytes(fresh.toBytes()));
        assertTrue(restored.expectedNextSample().isEmpty());
        assertEquals(SPEC.frameCount(SIGNAL.length), restored.push(0, SIGNAL).size());
    }

    @Test
    void rejectsNonContiguousInputAndKeepsItsState() {
        StreamingFramer framer = new StreamingFramer(SPEC);
        framer.push(0, Arrays.copyOf(SIGNAL, 1000));
        FramerState before = framer.snapshot();
        NonContiguousInputException gap = assertThrows(NonContiguousInputException.class,
                () -> framer.push(1100, new float[10]));
        assertEquals(1000, gap.expected());
        assertEquals(1100, gap.got());
        assertTrue(gap.getMessage().contains("expected index 1000, got 1100"), gap.getMessage());
        NonContiguousInputException overlap = assertThrows(NonContiguousInputException.class,
                () -> framer.push(900, new float[10]));
        assertTrue(overlap.getMessage().contains("overlap of 100"), overlap.getMessage());
        assertEquals(before, framer.snapshot());
        // The stream then goes on as if nothing had happened.
        List<LogMelFrame> rest = framer.push(1000, Arrays.copyOfRange(SIGNAL, 1000, SIGNAL.length));
        assertSameFrames(new StreamingFramer(SPEC).push(0, SIGNAL), rest, "after rejected chunks");
    }

    @Test
    void rejectsNonFiniteSamplesNamingTheIndex() {
        StreamingFramer framer = new StreamingFramer(SPEC);
        framer.push(0, new float[500]);
        float[] bad = new float[100];
        bad[42] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> framer.push(500, bad));
        assertTrue(e.getMessage().contains("sample 542"), e.getMessage());
        assertEquals(500, framer.expectedNextSample().getAsLong());
    }

    @Test
    void framesStayAnchoredWhenAStreamStartsLate() {
        // A stream whose first sample is 1000 (not a frame boundary): its frames are those of the
        // absolute grid, starting at frame ceil(1000 / 256) = 4, identical to the frames of the full signal.
        List<LogMelFrame> full = new StreamingFramer(SPEC).push(0, SIGNAL);
        StreamingFramer late = new StreamingFramer(SPEC);
        List<LogMelFrame> frames = pushInChunks(late, 1000, Arrays.copyOfRange(SIGNAL, 1000, SIGNAL.length), c -> 77);
        assertEquals(4, frames.get(0).index());
        assertSameFrames(full.subList(4, full.size()), frames, "late start");
    }

    @Test
    void restoreRejectsAStateThatDoesNotFit() {
        FramerState misaligned = new FramerState(true, 1000, 3, new float[200]);
        assertThrows(IllegalArgumentException.class, () -> StreamingFramer.restore(SPEC, misaligned));
        assertThrows(IllegalArgumentException.class, () -> FramerState.fromBytes(new byte[] {1, 1, 0}));
        assertThrows(IllegalArgumentException.class, () -> FramerState.fromBytes(new byte[] {7}));
    }
}
