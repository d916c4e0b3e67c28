package io.earshot.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One lifecycle record of a detected sound event on {@code earshot.events}.
 *
 * <p>An event is published twice: {@link State#START} as soon as its onset is decided (offset fields
 * are null), and {@link State#END} when it closes. Both carry the same {@code eventId}, derived from
 * (source, stream, label, onset sample) so that it is stable across detector restarts and sinks can
 * deduplicate on it.
 *
 * @param eventId        deterministic id, see {@link EventIds}
 * @param sourceId       the audio source (the Kafka key of the audio topic)
 * @param streamId       the capture stream the event belongs to
 * @param label          class label from the model manifest
 * @param state          start or end
 * @param onsetSample    onset as a sample index since stream start
 * @param offsetSample   offset as a sample index since stream start; null for start records
 * @param sampleRate     rate the sample indices count in
 * @param onsetSec       onset in seconds since stream start
 * @param offsetSec      offset in seconds since stream start; null for start records
 * @param onsetTimeMicros  onset as UTC epoch microseconds (capture time of sample 0 + onset)
 * @param offsetTimeMicros offset as UTC epoch microseconds; null for start records
 * @param confidence     mean frame probability over the event so far (start) or over the whole event (end)
 * @param model          model name
 * @param modelVersion   model version
 * @param endReason      why the event closed (end records only; null in start records)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SoundEvent(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("source_id") String sourceId,
        @JsonProperty("stream_id") String streamId,
        @JsonProperty("label") String label,
        @JsonProperty("state") State state,
        @JsonProperty("onset_sample") long onsetSample,
        @JsonProperty("offset_sample") Long offsetSample,
        @JsonProperty("sample_rate") int sampleRate,
        @JsonProperty("onset_s") double onsetSec,
        @JsonProperty("offset_s") Double offsetSec,
        @JsonProperty("onset_time_us") long onsetTimeMicros,
        @JsonProperty("offset_time_us") Long offsetTimeMicros,
        @JsonProperty("confidence") double confidence,
        @JsonProperty("model") String model,
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("end_reason") EndReason endReason) {

    /**
     * Why an event closed. {@link #OFFSET}: the scores fell below the off threshold (the sound ended);
     * the others: the detector closed it at the last analysed sample because its stream ended
     * ({@link #END_OF_STREAM}), jumped ahead ({@link #GAP}), was replaced by a new stream id
     * ({@link #NEW_STREAM}) or sent nothing for the idle time ({@link #IDLE}).
     */
    public enum EndReason {
        @JsonProperty("offset") OFFSET,
        @JsonProperty("end_of_stream") END_OF_STREAM,
        @JsonProperty("gap") GAP,
        @JsonProperty("new_stream") NEW_STREAM,
        @JsonProperty("idle") IDLE
    }

    /** A record without an end reason given: an end record then closed at its offset ({@link EndReason#OFFSET}). */
    public SoundEvent(String eventId, String sourceId, String streamId, String label, State state, long onsetSample,
                      Long offsetSample, int sampleRate, double onsetSec, Double offsetSec, long onsetTimeMicros,
                      Long offsetTimeMicros, double confidence, String model, String modelVersion) {
        this(eventId, sourceId, streamId, label, state, onsetSample, offsetSample, sampleRate, onsetSec, offsetSec,
                onsetTimeMicros, offsetTimeMicros, confidence, model, modelVersion,
                state == State.END ? EndReason.OFFSET : null);
    }

    /** Lifecycle state of an event record. */
    public enum State {
        @JsonProperty("start") START,
        @JsonProperty("end") END
    }

    public SoundEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(state, "state");
        if (state == State.END && (offsetSample == null || offsetSec == null || offsetTimeMicros == null)) {
            throw new IllegalArgumentException("an end record needs its offset: " + eventId);
        }
        if (state == State.START && endReason != null) {
            throw new IllegalArgumentException("a start record has no end reason: " + eventId);
        }
    }

    /** Duration in seconds, or null while the event is open. */
    public Double durationSec() {
        return offsetSec == null ? null : offsetSec - onsetSec;
    }
}
