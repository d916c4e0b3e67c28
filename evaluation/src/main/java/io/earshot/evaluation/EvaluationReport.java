package io.earshot.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.evaluation.psds.IntersectionCriteria;
import io.earshot.evaluation.psds.IntersectionF1;
import io.earshot.evaluation.psds.PsdsResult;
import io.earshot.evaluation.psds.PsdsScenario;
import java.util.List;

/**
 * Everything one evaluation produced, for printing ({@link ReportTable}) or as JSON
 * ({@link #toJson()}, the object {@code earshot eval --json} prints and the demo embeds).
 *
 * @param input       "detections" or "scores"
 * @param description what was evaluated (file names), for humans
 * @param results     one entry per decision threshold (a single entry with threshold null for
 *                    detection files); the first is the headline
 * @param psds        one outcome per scenario, in settings order; empty when PSDS was not asked for
 */
public record EvaluationReport(String input, String description, List<String> classes, int files,
                               double durationSeconds, EvaluationSettings settings, List<ThresholdResult> results,
                               List<PsdsOutcome> psds) {

    public EvaluationReport {
        classes = List.copyOf(classes);
        results = List.copyOf(results);
        psds = List.copyOf(psds);
        if (results.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one result");
        }
    }

    /** Metrics of the detections at one decision threshold. */
    public record ThresholdResult(Double threshold, SedMetrics eventBased, SedMetrics segmentBased,
                                  List<IntersectionOutcome> intersection) {
        public ThresholdResult {
            intersection = List.copyOf(intersection);
        }
    }

    /** Intersection-based F1 under one scenario's criteria, or why it could not be computed. */
    public record IntersectionOutcome(IntersectionCriteria criteria, IntersectionF1 f1, String error) {
        public String key() {
            return "dtc" + criteria.dtc() + "_gtc" + criteria.gtc();
        }
    }

    /** A PSDS, or why it could not be computed (e.g. overlapping events of one class). */
    public record PsdsOutcome(PsdsScenario scenario, PsdsResult result, String error) {
    }

    /** The headline result (the first threshold). */
    public ThresholdResult headline() {
        return results.get(0);
    }

    /** PSDS value of the scenario with this name ("psds1", "psds2"), NaN when absent or failed. */
    public double psdsValue(String scenarioName) {
        for (PsdsOutcome o : psds) {
            if (o.scenario().name().equals(scenarioName) && o.result() != null) {
                return o.result().value();
            }
        }
        return Double.NaN;
    }

    public ObjectNode toJson() {
        return ReportJson.toJson(this);
    }

    public String toJsonString() {
        return ReportJson.toJsonString(this);
    }
}
