package io.earshot.evaluation;

import io.earshot.evaluation.psds.PsdsScenario;
import java.util.List;

/**
 * How to evaluate: the event-based collars, the segment length, and the PSDS scenarios (each
 * scenario's DTC/GTC also set an intersection-based F1).
 */
public record EvaluationSettings(EventBasedMetrics.Config eventBased, double segmentSeconds,
                                 List<PsdsScenario> scenarios) {
    /** DCASE: 200 ms collar with 20 % offset tolerance, 1 s segments, PSDS scenarios 1 and 2 of DCASE 2022. */
    public static final EvaluationSettings DCASE = new EvaluationSettings(EventBasedMetrics.Config.DCASE, 1.0,
            List.of(PsdsScenario.DCASE_SCENARIO_1, PsdsScenario.DCASE_SCENARIO_2));

    public EvaluationSettings {
        scenarios = List.copyOf(scenarios);
        if (!(segmentSeconds > 0)) {
            throw new IllegalArgumentException("segment length must be > 0: " + segmentSeconds);
        }
    }
}
