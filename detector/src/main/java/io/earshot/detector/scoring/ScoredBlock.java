package io.earshot.detector.scoring;

import java.util.List;

/**
 * Output frames that became final: {@code scores[k][label]} for output frame {@code firstFrame + k},
 * and what the event decoders decided from them.
 */
public record ScoredBlock(long firstFrame, float[][] scores, List<LabelTransition> transitions) {

    public ScoredBlock {
        transitions = List.copyOf(transitions);
    }
}
