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
 * Scores the demo's output against the ground truth, the way {@code earshot eval} does.
 *
 * @param events the detector's events (event- and segment-based F1 of what users actually get)
 * @param scores the frame score tables (PSDS1 and PSDS2, exact over all thresholds)
 */
record DemoEvaluation(EvaluationReport events, EvaluationReport scores) {

    /** Threshold at which the score-table report also gives F1 values (PSDS does not depend on it). */
    static final double SCORE_THRESHOLD = 0.5;

    static DemoEvaluation of(DemoConfig config, DemoRun run) {
        Reference reference = new Reference(EventListReader.read(config.groundTruth()), Durations.read(config.durations()),
                run.labels());
        Evaluator evaluator = new Evaluator(EvaluationSettings.DCASE);
        EvaluationReport events = evaluator.evaluateDetections(reference, EventListReader.read(run.eventsTsv()), List.of());
        Map<String, ScoreTable> tables = ScoreTableReader.readDirectory(run.scoresDir(), reference.durations(), run.labels());
        EvaluationReport scores = evaluator.evaluateScores(reference, tables, List.of(SCORE_THRESHOLD), "frame score tables");
        return new DemoEvaluation(events, scores);
    }

    double psds1() {
        return scores.psdsValue("psds1");
    }

    double psds2() {
        return scores.psdsValue("psds2");
    }

    double eventF1Macro() {
        return events.headline().eventBased().macro().f1();
    }

    double segmentF1Macro() {
        return events.headline().segmentBased().macro().f1();
    }
}
