package io.earshot.launcher.demo;

import io.earshot.evaluation.EvaluationReport;
import io.earshot.evaluation.EvaluationSettings;
import io.earshot.evaluation.Evaluator;
import io.earshot.evaluation.io.Durations;
import io.earshot.evaluation.io.EventListReader;
import io.earshot.evaluation.io.Reference;
import io.earshot.evaluation.io.ScoreTable;
import io.earshot.evaluation.io.ScoreTableReader;
import java.util.List;
import java.util.Map;

/**
 * Scores the demo's output against the ground truth with the evaluation module, as {@code earshot eval}
 * does, combining two inputs in one report: the F1 metrics of the detector's events (what a user of
 * Earshot actually receives) and PSDS1/PSDS2 of its frame score tables (exact over all thresholds,
 * which the events, one operating point, cannot give).
 */
record DemoEvaluation(EvaluationReport report) {

    /** Decision threshold of the score-table pass; PSDS does not depend on it and its F1 values are not used. */
    private static final double SCORE_THRESHOLD = 0.5;

    static DemoEvaluation of(DemoConfig config, DemoRun run) {
        Reference reference = new Reference(EventListReader.read(config.groundTruth()), Durations.read(config.durations()),
                run.labels());
        Evaluator evaluator = new Evaluator(EvaluationSettings.DCASE);
        EvaluationReport events = evaluator.evaluateDetections(reference, EventListReader.read(run.eventsTsv()), List.of());
        Map<String, ScoreTable> tables = ScoreTableReader.readDirectory(run.scoresDir(), reference.durations(), run.labels());
        EvaluationReport scores = evaluator.evaluateScores(reference, tables, List.of(SCORE_THRESHOLD), "frame score tables");
        EvaluationReport combined = new EvaluationReport(events.input(),
                "the detected events (F1) and frame score tables (PSDS)", events.classes(), events.files(),
                events.durationSeconds(), events.settings(), events.results(), scores.psds());
        return new DemoEvaluation(combined);
    }

    double psds1() {
        return report.psdsValue("psds1");
    }

    double psds2() {
        return report.psdsValue("psds2");
    }

    double eventF1Macro() {
        return report.headline().eventBased().macro().f1();
    }

    double segmentF1Macro() {
        return report.headline().segmentBased().macro().f1();
    }
}
