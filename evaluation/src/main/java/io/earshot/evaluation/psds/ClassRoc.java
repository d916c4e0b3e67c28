package io.earshot.evaluation.psds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One class's ROC as a staircase: the best true-positive ratio reachable at each effective
 * false-positive rate (per hour). Built from any number of (eFPR, TPR) points; for equal eFPR the
 * highest TPR counts, and TPR is made non-decreasing (a worse point at higher eFPR is ignored).
 */
public final class ClassRoc {
    private final double[] efpr;
    private final double[] tpr;

    private ClassRoc(double[] efpr, double[] tpr) {
        this.efpr = efpr;
        this.tpr = tpr;
    }

    /** Points in any order; the staircase always starts at (0, 0). */
    static ClassRoc of(double[] efprPoints, double[] tprPoints) {
        int n = efprPoints.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(efprPoints[a], efprPoints[b]);
            return c != 0 ? c : Double.compare(tprPoints[a], tprPoints[b]);
        });
        List<double[]> steps = new ArrayList<>();
        steps.add(new double[] {0.0, 0.0});
        for (int i : order) {
            double x = efprPoints[i];
            double y = tprPoints[i];
            double[] last = steps.get(steps.size() - 1);
            double best = Math.max(y, last[1]);
            if (x == last[0]) {
                last[1] = best;
            } else {
                steps.add(new double[] {x, best});
            }
        }
        double[] xs = new double[steps.size()];
        double[] ys = new double[steps.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = steps.get(i)[0];
            ys[i] = steps.get(i)[1];
        }
        return new ClassRoc(xs, ys);
    }

    /** The distinct eFPR values of the staircase, ascending. */
    double[] efpr() {
        return efpr;
    }

    /** The TPR at each of the ascending eFPR values {@code xs}: the value of the last step at or before it. */
    double[] tprAt(double[] xs) {
        double[] out = new double[xs.length];
        int step = -1;
        for (int i = 0; i < xs.length; i++) {
            while (step + 1 < efpr.length && efpr[step + 1] <= xs[i]) {
                step++;
            }
            out[i] = step < 0 ? 0.0 : tpr[step];
        }
        return out;
    }

    /** Area under the staircase from 0 to {@code maxEfpr}, divided by maxEfpr (a single-class PSDS). */
    double normalisedArea(double maxEfpr) {
        double area = 0;
        for (int i = 0; i < efpr.length && efpr[i] <= maxEfpr; i++) {
            double next = i + 1 < efpr.length ? Math.min(efpr[i + 1], maxEfpr) : maxEfpr;
            area += tpr[i] * (next - efpr[i]);
        }
        return area / maxEfpr;
    }
}
