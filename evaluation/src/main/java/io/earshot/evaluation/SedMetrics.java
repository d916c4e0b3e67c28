package io.earshot.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Result of a sed_eval-style method (event-based or segment-based): micro (overall) values,
 * macro (class-wise average) values, per-class values, and the overall counts.
 */
public record SedMetrics(MetricValues micro, MetricValues macro, Map<String, ClassResult> classWise, Counts overall) {
    public SedMetrics {
        classWise = Collections.unmodifiableMap(new LinkedHashMap<>(classWise));
    }

    static SedMetrics of(Counts overall, Map<String, Counts> perClass, EmptyOutputPolicy policy) {
        Map<String, ClassResult> classWise = new LinkedHashMap<>();
        perClass.forEach((label, counts) -> classWise.put(label, new ClassResult(counts.classValues(policy), counts)));
        MetricValues macro = MetricValues.nanMeanOf(classWise.values().stream().map(ClassResult::values).toList());
        return new SedMetrics(overall.overallValues(policy), macro, classWise, overall);
    }
}
