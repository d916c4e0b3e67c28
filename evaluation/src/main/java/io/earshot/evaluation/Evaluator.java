package io.earshot.evaluation;

import io.earshot.evaluation.io.DcaseInputException;
import io.earshot.evaluation.io.EventTable;
import io.earshot.evaluation.io.Reference;
import io.earshot.evaluation.io.ScoreTable;
import io.earshot.evaluation.psds.DetectionPsds;
import io.earshot.evaluation.psds.IntersectionCriteria;
import io.earshot.evaluation.psds.PsdsScenario;
import io.earshot.evaluation.psds.ScorePsds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs all metrics on detection files or score tables and gathers them in an
 * {@link EvaluationReport}. Input errors in the files themselves (unknown file or class) fail the
 * whole evaluation; input that only the intersection-based metrics refuse (overlapping events of
 * one class) is reported per metric and the others are still computed.
 */
public final class Evaluator {
    private final EvaluationSettings settings;

    public Evaluator(EvaluationSettings settings) {
        this.settings = settings;
    }

    /**
     * @param operatingPoints detection tables for PSDS, one per operating point; when empty, the
     *                        detections themselves are the single operating point
     */
    public EvaluationReport evaluateDetections(Reference reference, EventTable detections,
                                               List<EventTable> operatingPoints) {
        reference.requireKnown(detections);
        operatingPoints.forEach(reference::requireKnown);
        List<EventTable> ops = operatingPoints.isEmpty() ? List.of(detections) : operatingPoints;
        List<EvaluationReport.PsdsOutcome> psds = new ArrayList<>();
        for (PsdsScenario scenario : settings.scenarios()) {
            psds.add(psdsOutcome(scenario, () -> DetectionPsds.compute(reference, scenario, ops)));
        }
        String description = detections.source()
                + (operatingPoints.isEmpty() ? "" : " (PSDS over " + operatingPoints.size() + " operating points)");
        return new EvaluationReport("detections", description, reference.classes(),
                reference.durations().files().size(), reference.durations().total(), settings,
                List.of(atThreshold(reference, detections, null)), psds);
    }

    /** @param thresholds decision thresholds for the threshold-dependent metrics (at least one) */
    public EvaluationReport evaluateScores(Reference reference, Map<String, ScoreTable> scores,
                                           List<Double> thresholds, String description) {
        if (thresholds.isEmpty()) {
            throw new IllegalArgumentException("at least one decision threshold is needed");
        }
        for (String file : reference.durations().files()) {
            if (!scores.containsKey(file)) {
                throw new DcaseInputException("no score table for " + file + " (listed in "
                        + reference.durations().source() + ")");
            }
        }
        List<EvaluationReport.ThresholdResult> results = new ArrayList<>();
        for (double threshold : thresholds) {
            results.add(atThreshold(reference, ScoreTable.detectionsAbove(scores, threshold), threshold));
        }
        List<EvaluationReport.PsdsOutcome> psds = new ArrayList<>();
        for (PsdsScenario scenario : settings.scenarios()) {
            psds.add(psdsOutcome(scenario, () -> ScorePsds.compute(reference, scenario, scores)));
        }
        return new EvaluationReport("scores", description, reference.classes(), reference.durations().files().size(),
                reference.durations().total(), settings, results, psds);
    }

    private EvaluationReport.ThresholdResult atThreshold(Reference reference, EventTable detections, Double threshold) {
        SedMetrics eventBased = new EventBasedMetrics(settings.eventBased()).evaluate(reference, detections);
        SedMetrics segmentBased = new SegmentBasedMetrics(settings.segmentSeconds(),
                settings.eventBased().emptyOutput()).evaluate(reference, detections);
        List<EvaluationReport.IntersectionOutcome> intersection = new ArrayList<>();
        for (PsdsScenario scenario : settings.scenarios()) {
            IntersectionCriteria criteria = new IntersectionCriteria(scenario.dtc(), scenario.gtc(), null);
            try {
                intersection.add(new EvaluationReport.IntersectionOutcome(criteria,
                        DetectionPsds.f1(reference, criteria, detections), null));
            } catch (DcaseInputException e) {
                intersection.add(new EvaluationReport.IntersectionOutcome(criteria, null, e.getMessage()));
            }
        }
        return new EvaluationReport.ThresholdResult(threshold, eventBased, segmentBased, intersection);
    }

    private static EvaluationReport.PsdsOutcome psdsOutcome(PsdsScenario scenario,
                                                            Supplier<io.earshot.evaluation.psds.PsdsResult> compute) {
        try {
            return new EvaluationReport.PsdsOutcome(scenario, compute.get(), null);
        } catch (DcaseInputException e) {
            return new EvaluationReport.PsdsOutcome(scenario, null, e.getMessage());
        }
    }
}
