package io.earshot.dsp.decode;

import java.util.Arrays;

/**
 * Centred median filter of odd length k with "nearest" edges: positions before the first or after the
 * last value read the first or last value (like scipy.ndimage.median_filter(mode="nearest")). With
 * odd k the median is always one of the inputs, so batch and streaming results are bit-identical.
 */
public final class MedianFilter {

    private MedianFilter() {
    }

    /** Filters a whole sequence. */
    public static float[] apply(float[] x, int window) {
        requireOddWindow(window);
        int half = window / 2;
        float[] out = new float[x.length];
        float[] scratch = new float[window];
        for (int t = 0; t < x.length; t++) {
            for (int i = 0; i < window; i++) {
                int u = Math.min(x.length - 1, Math.max(0, t - half + i));
                scratch[i] = x[u];
            }
            out[t] = median(scratch, window);
        }
        return out;
    }

    /** Filters a whole sequence of doubles (score tables in evaluation), exactly as {@link #apply(float[], int)}. */
    public static double[] apply(double[] x, int window) {
        requireOddWindow(window);
        int half = window / 2;
        double[] out = new double[x.length];
        double[] scratch = new double[window];
        for (int t = 0; t < x.length; t++) {
            for (int i = 0; i < window; i++) {
                scratch[i] = x[Math.min(x.length - 1, Math.max(0, t - half + i))];
            }
            Arrays.sort(scratch);
            out[t] = scratch[half];
        }
        return out;
    }

    /** Median of {@code values[0, n)} for odd n; reorders the values. */
    static float median(float[] values, int n) {
        if (n == 1) {
            return values[0];
        }
        Arrays.sort(values, 0, n);
        return values[n / 2];
    }

    static void requireOddWindow(int window) {
        if (window < 1 || window % 2 == 0) {
            throw new IllegalArgumentException("median window must be odd and >= 1: " + window);
        }
    }
}
