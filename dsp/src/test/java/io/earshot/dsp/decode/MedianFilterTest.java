package io.earshot.dsp.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MedianFilterTest {

    @Test
    void removesSpikesAndKeepsSteps() {
        float[] x = {0, 0, 1, 0, 0, 1, 1, 1, 1, 0.2f, 1, 1};
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, MedianFilter.apply(x, 3));
    }

    @Test
    void edgesRepeatTheNearestValue() {
        // Window 5 at t=0 reads x[0], x[0], x[0], x[1], x[2] = 0.9, 0.9, 0.9, 0.1, 0.1 -> 0.9.
        float[] x = {0.9f, 0.1f, 0.1f, 0.1f, 0.8f, 0.7f};
        assertArrayEquals(new float[] {0.9f, 0.1f, 0.1f, 0.1f, 0.7f, 0.7f}, MedianFilter.apply(x, 5));
    }

    @Test
    void windowOneIsIdentityAndEvenWindowsAreRejected() {
        float[] x = {0.3f, 0.1f, 0.9f};
        assertArrayEquals(x, MedianFilter.apply(x, 1));
        assertThrows(IllegalArgumentException.class, () -> MedianFilter.apply(x, 4));
        assertArrayEquals(new float[0], MedianFilter.apply(new float[0], 7));
    }

    @Test
    void doublesAreFilteredExactlyAsFloats() {
        java.util.Random random = new java.util.Random(3);
        float[] x = new float[200];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        for (int window : new int[] {1, 3, 9, 21}) {
            float[] expected = MedianFilter.apply(x, window);
            double[] actual = MedianFilter.apply(d, window);
            for (int i = 0; i < x.length; i++) {
                assertEquals(expected[i], actual[i], 0.0, "window " + window + " frame " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> MedianFilter.apply(d, 2));
    }
}
