package io.earshot.evaluation.psds;

import java.util.Arrays;

/** Per-class true positives, false positives and cross-triggers of one operating point. */
final class OperatingPointCounts {
    final int[] tp;
    final int[] fp;
    final int[][] ct;

    OperatingPointCounts(int classes) {
        tp = new int[classes];
        fp = new int[classes];
        ct = new int[classes][classes];
    }

    /** Adds a {@link IntersectionCounter#countFile} result for class c. */
    void add(int c, int[] counts) {
        tp[c] += counts[0];
        fp[c] += counts[1];
        for (int k = 0; k < ct[c].length; k++) {
            ct[c][k] += counts[2 + k];
        }
    }

    @Override
    public String toString() {
        return "tp=" + Arrays.toString(tp) + " fp=" + Arrays.toString(fp) + " ct=" + Arrays.deepToString(ct);
    }
}
