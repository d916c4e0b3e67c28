package io.earshot.detector.topology;

import io.earshot.detector.model.ModelManifest;
import io.earshot.detector.window.WindowGeometry;
import io.earshot.detector.window.WindowWeighting;
import io.earshot.dsp.decode.DecoderConfig;
import io.earshot.protocol.Topics;
import java.time.Duration;
import java.util.List;

/**
 * Everything the topology needs besides the model session: resolved from {@code DetectorConfig} and the
 * manifest.
 *
 * @param manifest      the model's manifest
 * @param geometry      window length and hop
 * @param weighting     how overlapping windows are averaged
 * @param decoders      decoding rules per label (manifest defaults with threshold overrides applied)
 * @param emitScores    whether to publish frame scores
 * @param topics        topic names
 * @param applyInterval how often finished inferences are folded in and published (wall clock)
 */
public record DetectionSettings(ModelManifest manifest, WindowGeometry geometry, WindowWeighting weighting,
                                List<DecoderConfig> decoders, boolean emitScores, Topics topics,
                                Duration applyInterval) {

    public DetectionSettings {
        decoders = List.copyOf(decoders);
        if (decoders.size() != manifest.labels().size()) {
            throw new IllegalArgumentException(decoders.size() + " decoder settings for " + manifest.labels().size() + " labels");
        }
        if (geometry.pooling() != manifest.timePooling()) {
            throw new IllegalArgumentException("window geometry pools by " + geometry.pooling() + ", the model by " + manifest.timePooling());
        }
        if (applyInterval.isNegative() || applyInterval.isZero()) {
            throw new IllegalArgumentException("apply interval must be positive: " + applyInterval);
        }
    }
}
