package io.earshot.detector.topology;

import io.earshot.detector.model.ModelManifest;
import io.earshot.detector.window.WindowGeometry;
import io.earshot.detector.window.WindowWeighting;
import io.earshot.dsp.decode.DecoderConfig;
import io.earshot.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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

    /**
     * The settings that a source's stored stream state depends on, in one canonical text kept with the
     * state: window positions are counted in hops from a segment's origin (window, hop, pooling), the frame
     * store holds log-mel frames (frame hop, mel bands) and the decoder snapshots hold one median filter
     * per label (labels, median lengths). Thresholds are left out: they can change on existing state.
     */
    public String stateKey() {
        List<String> labels = manifest.labels();
        String perLabel = IntStream.range(0, labels.size())
                .mapToObj(i -> labels.get(i) + ":" + decoders.get(i).medianFrames())
                .collect(Collectors.joining(",", "[", "]"));
        return "window=" + geometry.windowFrames() + " hop=" + geometry.hopFrames() + " pooling=" + geometry.pooling()
                + " frame-hop=" + geometry.frameHopSamples() + " mels=" + manifest.nMels()
                + " label:median-frames=" + perLabel;
    }
}
