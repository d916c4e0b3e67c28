package io.earshot.detector.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class OverlapAccumulatorTest {

    private static float[][] constant(int frames, float a, float b) {
        float[][] out = new float[frames][];
        for (int i = 0; i < frames; i++) {
            out[i] = new float[] {a, b};
        }
        return out;
    }

    @Test
    void averagesOverlappingWindowsWithTheirWeights() {
        OverlapAccumulator acc = new OverlapAccumulator(2, 0);
        float[] ones = {1, 1, 1, 1};
        acc.add(0, constant(4, 0.2f, 1f), ones);
        float[][] first = acc.takeFinal(2);            // frames 0, 1 only seen by the first window
        assertEquals(2, first.length);
        assertArrayEquals(new float[] {0.2f, 1f}, first[1], 1e-7f);
        acc.add(2, constant(4, 0.6f, 0f), new float[] {3, 3, 1, 1});
        float[][] second = acc.takeFinal(4);
        // frames 2, 3: (1 * 0.2 + 3 * 0.6) / 4 = 0.5 and (1 * 1 + 3 * 0) / 4 = 0.25
        assertArrayEquals(new float[] {0.5f, 0.25f}, second[0], 1e-6f);
        assertEquals(4, acc.baseFrame());
        assertEquals(2, acc.pendingFrames());
        float[][] rest = acc.takeFinal(Long.MAX_VALUE);
        assertArrayEquals(new float[] {0.6f, 0f}, rest[1], 1e-7f);
        assertEquals(6, acc.baseFrame());
    }

    @Test
    void framesAlreadyFinalAreNotTouchedAgain() {
        OverlapAccumulator acc = new OverlapAccumulator(1, 10);
        acc.add(8, new float[][] {{1}, {1}, {1}, {1}}, new float[] {1, 1, 1, 1});
        assertEquals(2, acc.pendingFrames());
        assertArrayEquals(new float[] {1f}, acc.takeFinal(11)[0]);
    }

    @Test
    void survivesSerialisationExactly() {
        OverlapAccumulator acc = new OverlapAccumulator(3, 78);
        acc.add(78, new float[][] {{0.1f, 0.2f, 0.3f}, {0.4f, 0.5f, 0.6f}}, new float[] {0.25f, 0.75f});
        ByteBuffer buf = ByteBuffer.allocate(acc.serializedSize());
        acc.writeTo(buf);
        assertEquals(0, buf.remaining());
        buf.flip();
        OverlapAccumulator back = OverlapAccumulator.readFrom(buf);
        assertEquals(78, back.baseFrame());
        float[][] a = acc.takeFinal(Long.MAX_VALUE);
        float[][] b = back.takeFinal(Long.MAX_VALUE);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 0f);
        }
    }

    @Test
    void hannWeightsCrossFadeAtHalfOverlap() {
        float[] w = WindowWeighting.HANN.weights(156, 156);
        for (int p = 0; p < 78; p++) {
            assertEquals(1.0, w[p] + w[p + 78], 1e-3, "position " + p);
        }
        assertEquals(1f, WindowWeighting.UNIFORM.weights(5, 156)[4]);
        // a partial window keeps the weights of the positions it has
        assertArrayEquals(java.util.Arrays.copyOf(w, 10), WindowWeighting.HANN.weights(10, 156));
    }
}
