package io.earshot.evaluation;

/**
 * The rate formulas of sed_eval ({@code sed_eval.metric}), reproduced to the last bit: precision
 * and recall are NaN on an empty denominator, the error-rate family divides by
 * {@code Nref + eps} (so a class without reference events gets a huge rather than infinite rate),
 * and F is 0 when both precision and recall are 0.
 */
final class SedEvalArithmetic {
    /** numpy.spacing(1). */
    static final double EPS = Math.ulp(1.0);

    private SedEvalArithmetic() {
    }

    static double precision(long tp, long nSys, EmptyOutputPolicy policy) {
        if (nSys == 0) {
            return policy == EmptyOutputPolicy.ZERO_SCORE ? 0.0 : Double.NaN;
        }
        return (double) tp / (double) nSys;
    }

    static double recall(long tp, long nRef) {
        return nRef == 0 ? Double.NaN : (double) tp / (double) nRef;
    }

    static double fMeasure(double precision, double recall) {
        if (precision == 0 && recall == 0) {
            return 0.0;
        }
        return 2 * precision * recall / (precision + recall);
    }

    /** Substitution, deletion and insertion rates: count / (Nref + eps). */
    static double rate(long count, long nRef) {
        return count / (nRef + EPS);
    }

    /** numpy.nanmean: the mean of the non-NaN values, NaN if there are none. */
    static double nanMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
