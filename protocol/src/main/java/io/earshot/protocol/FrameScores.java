package io.earshot.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * A block of final (overlap-averaged) frame scores for one source on {@code earshot.scores}.
 *
 * <p>Frame k of the block covers samples [firstFrameStartSample + k * frameHopSamples,
 * firstFrameStartSample + (k + 1) * frameHopSamples) of the stream; {@code scores.get(k)} holds one
 * probability per label, in the order of {@code labels}.
 */
public record FrameScores(
        @JsonProperty("source_id") String sourceId,
        @JsonProperty("stream_id") String streamId,
        @JsonProperty("sample_rate") int sampleRate,
        @JsonProperty("first_frame_index") long firstFrameIndex,
        @JsonProperty("first_frame_start_sample") long firstFrameStartSample,
        @JsonProperty("frame_hop_samples") int frameHopSamples,
        @JsonProperty("capture_time_us") long captureTimeMicrosOfSampleZero,
        @JsonProperty("labels") List<String> labels,
        @JsonProperty("scores") List<float[]> scores,
        @JsonProperty("model") String model,
        @JsonProperty("model_version") String modelVersion) {

    public FrameScores {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(streamId, "streamId");
        labels = List.copyOf(labels);
        scores = List.copyOf(scores);
        for (float[] row : scores) {
            if (row.length != labels.size()) {
                throw new IllegalArgumentException("score row has " + row.length + " values for " + labels.size() + " labels");
            }
        }
    }

    /** Onset in seconds since stream start of frame k of this block. */
    public double frameOnsetSec(int k) {
        return (firstFrameStartSample + (long) k * frameHopSamples) / (double) sampleRate;
    }

    /** Offset in seconds since stream start of frame k of this block. */
    public double frameOffsetSec(int k) {
        return (firstFrameStartSample + (long) (k + 1) * frameHopSamples) / (double) sampleRate;
    }
}
