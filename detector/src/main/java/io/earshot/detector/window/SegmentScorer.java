package io.earshot.detector.window;

import io.earshot.detector.state.DecodeProgress;
import io.earshot.dsp.decode.DecoderConfig;
import io.earshot.dsp.decode.DecoderState;
import io.earshot.dsp.decode.EventTransition;
import io.earshot.dsp.decode.StreamingEventDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns window outputs of one source into final frame scores and event transitions: overlap
 * averaging, then one streaming decoder per label. Restored from and saved to {@link DecodeProgress}.
 */
public final class SegmentScorer {

    /** One decoder decision, with the label it belongs to. */
    public record LabelTransition(int label, EventTransition transition) {
    }

    /**
     * Frames that became final: {@code scores[k][label]} for output frame {@code firstFrame + k}, and
     * what the decoders decided from them.
     */
    public record ScoredBlock(long firstFrame, float[][] scores, List<LabelTransition> transitions) {
    }

    private final WindowGeometry geometry;
    private final WindowWeighting weighting;
    private final OverlapAccumulator overlap;
    private final StreamingEventDecoder[] decoders;

    private SegmentScorer(WindowGeometry geometry, WindowWeighting weighting, OverlapAccumulator overlap,
                          StreamingEventDecoder[] decoders) {
        this.geometry = geometry;
        this.weighting = weighting;
        this.overlap = overlap;
        this.decoders = decoders;
    }

    /** A fresh scorer for a segment whose first input frame is {@code originFrame}. */
    public static SegmentScorer start(WindowGeometry geometry, WindowWeighting weighting, List<DecoderConfig> configs,
                                      long originFrame) {
        StreamingEventDecoder[] decoders = new StreamingEventDecoder[configs.size()];
        for (int l = 0; l < decoders.length; l++) {
            decoders[l] = new StreamingEventDecoder(configs.get(l));
        }
        return new SegmentScorer(geometry, weighting, new OverlapAccumulator(configs.size(), originFrame / geometry.pooling()),
                decoders);
    }

    /** Resumes from saved progress, made with the same labels and median lengths. */
    public static SegmentScorer restore(WindowGeometry geometry, WindowWeighting weighting, List<DecoderConfig> configs,
                                        DecodeProgress progress) {
        if (progress.decoders().size() != configs.size() || progress.overlap().labels() != configs.size()) {
            throw new IllegalArgumentException("saved decode state has " + progress.decoders().size()
                    + " labels, the model has " + configs.size());
        }
        StreamingEventDecoder[] decoders = new StreamingEventDecoder[configs.size()];
        for (int l = 0; l < decoders.length; l++) {
            decoders[l] = StreamingEventDecoder.restore(configs.get(l), progress.decoders().get(l));
        }
        return new SegmentScorer(geometry, weighting, progress.overlap(), decoders);
    }

    /**
     * Folds in the output of the window starting at input frame {@code startFrame}; output frames before
     * input frame {@code finalBeforeFrame} (the next window's start) become final.
     */
    public ScoredBlock addWindow(long startFrame, float[][] probs, long finalBeforeFrame) {
        fold(startFrame, probs);
        return decide(overlap.takeFinal(finalBeforeFrame / geometry.pooling()), false);
    }

    /** Folds in the segment's last window (if any) and makes every remaining frame final; closes open events. */
    public ScoredBlock finish(long startFrame, float[][] probs) {
        if (probs != null) {
            fold(startFrame, probs);
        }
        return decide(overlap.takeFinal(Long.MAX_VALUE), true);
    }

    private void fold(long startFrame, float[][] probs) {
        if (startFrame % geometry.pooling() != 0) {
            throw new IllegalArgumentException("window start " + startFrame + " is off the output-frame grid");
        }
        overlap.add(startFrame / geometry.pooling(), probs, weighting.weights(probs.length, geometry.windowOutputFrames()));
    }

    private ScoredBlock decide(float[][] rows, boolean flush) {
        long first = overlap.baseFrame() - rows.length;
        List<LabelTransition> out = new ArrayList<>();
        for (int l = 0; l < decoders.length; l++) {
            for (int k = 0; k < rows.length; k++) {
                for (EventTransition t : decoders[l].push(first + k, rows[k][l])) {
                    out.add(new LabelTransition(l, t));
                }
            }
            if (flush) {
                for (EventTransition t : decoders[l].flush()) {
                    out.add(new LabelTransition(l, t));
                }
            }
        }
        return new ScoredBlock(first, rows, out);
    }

    public DecodeProgress snapshot() {
        List<DecoderState> states = new ArrayList<>(decoders.length);
        for (StreamingEventDecoder d : decoders) {
            states.add(d.snapshot());
        }
        return new DecodeProgress(overlap, states);
    }
}
