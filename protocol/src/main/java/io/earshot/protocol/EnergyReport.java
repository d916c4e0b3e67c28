package io.earshot.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One periodic energy-consumption report of a detector instance on {@code earshot.energy}.
 *
 * @param instanceId         detector instance (also the record key)
 * @param intervalStartMicros start of the measured interval, UTC epoch microseconds
 * @param intervalEndMicros  end of the measured interval, UTC epoch microseconds
 * @param joules             energy spent in the interval
 * @param kwh                the same in kilowatt hours
 * @param method             "rapl" (measured from powercap counters) or "cpu-model" (CPU time x power model)
 * @param audioSeconds       audio seconds processed in the interval
 * @param inferences         model inferences (windows) run in the interval
 * @param joulesPerAudioHour joules divided by audio hours processed (null when no audio was processed)
 * @param gramsCo2e          emissions estimate from the configured grid intensity
 */
public record EnergyReport(
        @JsonProperty("instance_id") String instanceId,
        @JsonProperty("interval_start_us") long intervalStartMicros,
        @JsonProperty("interval_end_us") long intervalEndMicros,
        @JsonProperty("joules") double joules,
        @JsonProperty("kwh") double kwh,
        @JsonProperty("method") String method,
        @JsonProperty("audio_seconds") double audioSeconds,
        @JsonProperty("inferences") long inferences,
        @JsonProperty("joules_per_audio_hour") Double joulesPerAudioHour,
        @JsonProperty("g_co2e") double gramsCo2e) {

    public EnergyReport {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(method, "method");
        if (intervalEndMicros < intervalStartMicros) {
            throw new IllegalArgumentException("energy report interval ends before it starts: " + instanceId);
        }
    }
}
