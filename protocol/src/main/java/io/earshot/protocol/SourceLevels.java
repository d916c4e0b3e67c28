package io.earshot.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * Level and a coarse spectrogram of one source over one interval of its stream, on {@code earshot.levels}:
 * what a level meter and a spectrogram strip need, without the audio itself.
 *
 * <p>The interval covers samples [startSample, endSample) of the stream; column k of {@code bandsDb}
 * covers [startSample + k * columnHopSamples, startSample + (k + 1) * columnHopSamples) and holds one
 * value per mel band, lowest band first.
 *
 * @param sourceId         the audio source (also the key)
 * @param streamId         the capture run
 * @param sampleRate       the rate the sample indices count in
 * @param startSample      first sample of the interval
 * @param endSample        one past its last sample
 * @param startTimeMicros  wall-clock capture time of startSample, UTC epoch microseconds
 * @param rmsDbfs          RMS level, dB re full scale (a full-scale square wave reads 0)
 * @param peakDbfs         peak sample level, dB re full scale
 * @param columnHopSamples samples per spectrogram column
 * @param fminHz           lowest mel band edge
 * @param fmaxHz           highest mel band edge
 * @param bandsDb          one row per column, one whole-dB value per band, re a full-scale sine
 */
public record SourceLevels(
        @JsonProperty("source_id") String sourceId,
        @JsonProperty("stream_id") String streamId,
        @JsonProperty("sample_rate") int sampleRate,
        @JsonProperty("start_sample") long startSample,
        @JsonProperty("end_sample") long endSample,
        @JsonProperty("start_time_us") long startTimeMicros,
        @JsonProperty("rms_dbfs") double rmsDbfs,
        @JsonProperty("peak_dbfs") double peakDbfs,
        @JsonProperty("column_hop_samples") int columnHopSamples,
        @JsonProperty("fmin_hz") double fminHz,
        @JsonProperty("fmax_hz") double fmaxHz,
        @JsonProperty("bands_db") List<int[]> bandsDb) {

    public SourceLevels {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(streamId, "streamId");
        bandsDb = List.copyOf(bandsDb);
        if (endSample < startSample) {
            throw new IllegalArgumentException("levels interval of " + sourceId + " ends before it starts");
        }
    }
}
