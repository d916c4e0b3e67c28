package io.earshot.evaluation.psds;

import java.util.Arrays;
import java.util.List;

/**
 * The PSD-ROC: at every eFPR where some class's staircase steps, the effective TPR
 * max(0, mean - alpha_st x std) over the classes' TPRs (population standard deviation).
 * This is psds_eval's construction; sed_scores_eval builds the same curve from its exact
 * per-class ROCs.
 */
public final class PsdRoc {
    private final double[] efpr;
    private final double[] etpr;

    private PsdRoc(double[] efpr, double[] etpr) {
        this.efpr = efpr;
        this.etpr = etpr;
    }

    /**
     * @param limit points with a higher eFPR are left out (sed_scores_eval cuts at max_efpr;
     *              psds_eval keeps the whole curve: pass infinity)
     */
    static PsdRoc combine(List<ClassRoc> classes, double alphaSt, double limit) {
        int total = 0;
        for (ClassRoc roc : classes) {
            total += roc.efpr().length;
        }
        double[] all = new double[total];
        int n = 0;
        for (ClassRoc roc : classes) {
            for (double x : roc.efpr()) {
                if (x <= limit) {
                    all[n++] = x;
                }
            }
        }
        Arrays.sort(all, 0, n);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || all[i] != all[distinct - 1]) {
                all[distinct++] = all[i];
            }
        }
        double[] xs = Arrays.copyOf(all, distinct);
        double[] ys = new double[xs.length];
        int k = classes.size();
        double[][] tpr = new double[k][];
        for (int c = 0; c < k; c++) {
            tpr[c] = classes.get(c).tprAt(xs);
        }
        for (int i = 0; i < xs.length; i++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += tpr[c][i];
            }
            double mean = sum / k;
            double squares = 0;
            for (int c = 0; c < k; c++) {
                double d = tpr[c][i] - mean;
                squares += d * d;
            }
            double std = Math.sqrt(squares / k);
            double y = mean - alphaSt * std;
            ys[i] = Double.isNaN(y) || y < 0 ? 0.0 : y;
        }
        return new PsdRoc(xs, ys);
    }

    /** eFPR values (per hour), ascending, starting at 0. */
    public double[] efpr() {
        return efpr.clone();
    }

    /** Effective TPR at each {@link #efpr()} value (a staircase: it holds until the next point). */
    public double[] etpr() {
        return etpr.clone();
    }

    /**
     * The curve up to {@code maxEfpr}, closed by a point at maxEfpr itself (sed_scores_eval's form
     * of the PSD-ROC); returns {efpr[], etpr[]}.
     */
    public double[][] upTo(double maxEfpr) {
        int n = 0;
        while (n < efpr.length && efpr[n] <= maxEfpr) {
            n++;
        }
        double[] x = Arrays.copyOf(efpr, n + 1);
        double[] y = Arrays.copyOf(etpr, n + 1);
        x[n] = maxEfpr;
        y[n] = etpr[n - 1];
        return new double[][] {x, y};
    }

    /** The area under the staircase from 0 to maxEfpr, divided by maxEfpr: the PSDS (psds_eval's _auc). */
    public double normalisedArea(double maxEfpr) {
        double area = 0;
        for (int i = 0; i < efpr.length && efpr[i] < maxEfpr; i++) {
            double next = i + 1 < efpr.length ? Math.min(efpr[i + 1], maxEfpr) : maxEfpr;
            area += (next - efpr[i]) * etpr[i];
        }
        return area / maxEfpr;
    }
}
