package io.earshot.detector.window;

import io.earshot.detector.scoring.EventDecoders;
import io.earshot.detector.scoring.ScoredBlock;
import io.earshot.detector.state.DecodeProgress;
import io.earshot.dsp.decode.DecoderConfig;
import io.earshot.protocol.SoundEvent;
import java.util.List;

/**
 * Turns window outputs of one source into final frame scores and event transitions: overlap
 * averaging, then one streaming decoder per label. Restored from and saved to {@link DecodeProgress}.
 */
public final class SegmentScorer {

    private final WindowGeometry geometry;
    private final WindowWeighting weighting;
    private final OverlapAccumulator overlap;
    private final EventDecoders decoders;

    private SegmentScorer(WindowGeometry geometry, WindowWeighting weighting, OverlapAccumulator overlap,
                          EventDecoders decoders) {
        this.geometry = geometry;
        this.weighting = weighting;
        this.overlap = overlap;
        this.decoders = decoders;
    }

    /** A fresh scorer for a segment whose first input frame is {@code originFrame}. */
    public static SegmentScorer start(WindowGeometry geometry, WindowWeighting weighting, List<DecoderConfig> configs,
                                      long originFrame) {
        return new SegmentScorer(geometry, weighting, new OverlapAccumulator(configs.size(), originFrame / geometry.pooling()),
                EventDecoders.start(configs));
    }

    /** Resumes from saved progress, made with the same labels and median lengths. */
    public static SegmentScorer restore(WindowGeometry geometry, WindowWeighting weighting, List<DecoderConfig> configs,
                                        DecodeProgress progress) {
        if (progress.overlap().labels() != configs.size()) {
            throw new IllegalArgumentException("saved decode state has " + progress.overlap().labels()
                    + " labels, the model has " + configs.size());
        }
        return new SegmentScorer(geometry, weighting, progress.overlap(), EventDecoders.restore(configs, progress.decoders()));
    }

    /**
     * Folds in the output of the window starting at input frame {@code startFrame} (null: its inference
     * failed, it adds nothing); output frames before input frame {@code finalBeforeFrame} (the next
     * window's start) become final.
     */
    public ScoredBlock addWindow(long startFrame, float[][] probs, long finalBeforeFrame) {
        if (probs != null) {
            fold(startFrame, probs);
        }
        return decide(overlap.takeFinal(finalBeforeFrame / geometry.pooling()), null);
    }

    /**
     * Folds in the segment's last window (if any) and makes every remaining frame final; closes open
     * events, giving {@code reason} as why.
     */
    public ScoredBlock finish(long startFrame, float[][] probs, SoundEvent.EndReason reason) {
        if (probs != null) {
            fold(startFrame, probs);
        }
        return decide(overlap.takeFinal(Long.MAX_VALUE), reason);
    }

    private void fold(long startFrame, float[][] probs) {
        if (startFrame % geometry.pooling() != 0) {
            throw new IllegalArgumentException("window start " + startFrame + " is off the output-frame grid");
        }
        overlap.add(startFrame / geometry.pooling(), probs, weighting.weights(probs.length, geometry.windowOutputFrames()));
    }

    private ScoredBlock decide(float[][] rows, SoundEvent.EndReason closeBecause) {
        long first = overlap.baseFrame() - rows.length;
        return decoders.decide(first, rows, closeBecause);
    }

    public DecodeProgress snapshot() {
        return new DecodeProgress(overlap, decoders.snapshot());
    }
}
