package io.earshot.dsp.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
}
