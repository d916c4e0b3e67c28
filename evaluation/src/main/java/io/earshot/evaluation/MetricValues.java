package io.earshot.evaluation;

/**
 * F1, precision, recall and the error rate with its parts. NaN marks an undefined value (e.g.
 * precision without system output). {@code substitutionRate} is NaN where sed_eval has none
 * (class-wise and macro values).
 */
public record MetricValues(double f1, double precision, double recall, double errorRate, double substitutionRate,
                           double deletionRate, double insertionRate) {

    /** Class-wise (macro) average with numpy.nanmean, as sed_eval does. */
    static MetricValues nanMeanOf(Iterable<MetricValues> values) {
        java.util.List<MetricValues> list = new java.util.ArrayList<>();
        values.forEach(list::add);
        return new MetricValues(
                mean(list, MetricValues::f1), mean(list, MetricValues::precision), mean(list, MetricValues::recall),
                mean(list, MetricValues::errorRate), Double.NaN,
                mean(list, MetricValues::deletionRate), mean(list, MetricValues::insertionRate));
    }

    private static double mean(java.util.List<MetricValues> list, java.util.function.ToDoubleFunction<MetricValues> f) {
        return SedEvalArithmetic.nanMean(list.stream().mapToDouble(f).toArray());
    }
}
