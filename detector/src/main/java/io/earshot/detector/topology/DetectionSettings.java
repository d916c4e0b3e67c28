package io.earshot.detector.topology;

import io.earshot.detector.model.ModelManifest;
import io.earshot.detector.model.StreamingSpec;
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
 * @param manifest         the model's manifest; its kind (windowed or streaming) decides the mode
 * @param geometry         window length and hop (windowed models; null for a streaming model)
 * @param weighting        how overlapping windows are averaged (windowed models)
 * @param decoders         decoding rules per label (manifest defaults with threshold overrides applied)
 * @param emitScores       whether to publish frame scores
 * @param topics           topic names
 * @param applyInterval    how often finished inferences are folded in and published (wall clock)
 * @param inferenceTimeout longest wait for one window's or block's inference before it is given up
 *                         (dead-lettered) and the source goes on
 * @param idleTimeout      wall-clock time without audio after which a source's open segment is closed
 */
public record DetectionSettings(ModelManifest manifest, WindowGeometry geometry, WindowWeighting weighting,
                                List<DecoderConfig> decoders, boolean emitScores, Topics topics,
                                Duration applyInterval, Duration inferenceTimeout, Duration idleTimeout) {

    public DetectionSettings {
        decoders = List.copyOf(decoders);
        if (decoders.size() != manifest.labels().size()) {
            throw new IllegalArgumentException(decoders.size() + " decoder settings for " + manifest.labels().size() + " labels");
        }
        if (manifest.isStreaming() != (geometry == null)) {
            throw new IllegalArgumentException(manifest.isStreaming() ? "a streaming model has no window geometry"
                    : "a windowed model needs a window geometry");
        }
        if (geometry != null && geometry.pooling() != manifest.timePooling()) {
            throw new IllegalArgumentException("window geometry pools by " + geometry.pooling() + ", the model by " + manifest.timePooling());
        }
        for (Duration d : List.of(applyInterval, inferenceTimeout, idleTimeout)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("apply interval, inference timeout and idle time must be positive: " + d);
            }
        }
    }

    public boolean streaming() {
        return manifest.isStreaming();
    }

    /** How often idle sources are looked for: a quarter of the idle time, between 50 ms and 1 s. */
    public Duration idleCheckInterval() {
        long ms = Math.max(50, Math.min(1000, idleTimeout.toMillis() / 4));
        return Duration.ofMillis(ms);
    }

    /** The first input frame index at or after {@code sampleIndex} that starts on the output-frame grid. */
    public long alignedOriginAtOrAfter(long sampleIndex) {
        long grid = manifest.grid().hopSamples();
        return Math.floorDiv(sampleIndex + grid - 1, grid) * manifest.timePooling();
    }

    /**
     * The settings that a source's stored stream state depends on, in one canonical text kept with the
     * state. Windowed: window positions are counted in hops from a segment's origin (window, hop, pooling)
     * and the frame store holds log-mel frames (frame hop, mel bands). Streaming: blocks and the carried
     * state (block, look-ahead, state size). Both: the decoder snapshots hold one median filter per label
     * (labels, median lengths). Thresholds are left out: they can change on existing state.
     */
    public String stateKey() {
        List<String> labels = manifest.labels();
        String perLabel = IntStream.range(0, labels.size())
                .mapToObj(i -> labels.get(i) + ":" + decoders.get(i).medianFrames())
                .collect(Collectors.joining(",", "[", "]"));
        String mode;
        if (geometry != null) {
            mode = "window=" + geometry.windowFrames() + " hop=" + geometry.hopFrames() + " pooling=" + geometry.pooling()
                    + " frame-hop=" + geometry.frameHopSamples();
        } else {
            StreamingSpec s = manifest.streaming();
            mode = "streaming block=" + s.blockFrames() + " lookahead=" + s.lookaheadFrames() + " state=" + s.stateSize()
                    + " pooling=" + manifest.timePooling() + " frame-hop=" + manifest.features().hopLength();
        }
        return mode + " mels=" + manifest.nMels() + " label:median-frames=" + perLabel;
    }
}
