package io.earshot.evaluation;

/**
 * Intermediate counts behind {@link MetricValues}. Event-based: events; segment-based:
 * (segment, class) pairs. {@code substitutions}, {@code deletions} and {@code insertions} are the
 * S/D/I of the error rate: overall they follow sed_eval's per-method definitions, class-wise
 * deletions = false negatives and insertions = false positives. {@code trueNegatives} is only
 * counted by the segment-based method.
 */
public record Counts(long nRef, long nSys, long truePositives, long falsePositives, long falseNegatives,
                     long trueNegatives, long substitutions, long deletions, long insertions) {

    Counts plus(Counts o) {
        return new Counts(nRef + o.nRef, nSys + o.nSys, truePositives + o.truePositives,
                falsePositives + o.falsePositives, falseNegatives + o.falseNegatives, trueNegatives + o.trueNegatives,
                substitutions + o.substitutions, deletions + o.deletions, insertions + o.insertions);
    }

    static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Overall values from overall counts (sed_eval's results_overall_metrics). */
    MetricValues overallValues(EmptyOutputPolicy policy) {
        double precision = SedEvalArithmetic.precision(truePositives, nSys, policy);
        double recall = SedEvalArithmetic.recall(truePositives, nRef);
        double s = SedEvalArithmetic.rate(substitutions, nRef);
        double d = SedEvalArithmetic.rate(deletions, nRef);
        double i = SedEvalArithmetic.rate(insertions, nRef);
        return new MetricValues(SedEvalArithmetic.fMeasure(precision, recall), precision, recall, s + d + i, s, d, i);
    }

    /** Class-wise values (sed_eval's results_class_wise_metrics: no substitutions). */
    MetricValues classValues(EmptyOutputPolicy policy) {
        double precision = SedEvalArithmetic.precision(truePositives, nSys, policy);
        double recall = SedEvalArithmetic.recall(truePositives, nRef);
        double d = SedEvalArithmetic.rate(falseNegatives, nRef);
        double i = SedEvalArithmetic.rate(falsePositives, nRef);
        return new MetricValues(SedEvalArithmetic.fMeasure(precision, recall), precision, recall, 0.0 + d + i,
                Double.NaN, d, i);
    }
}
