package io.earshot.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sink's own meters (names as documented in docs/metrics.md, Prometheus spelling in brackets):
 * <ul>
 *   <li>{@code earshot.sink.records} [earshot_sink_records_total] {topic}: records consumed</li>
 *   <li>{@code earshot.sink.records.rejected} [earshot_sink_records_rejected_total] {topic, reason}</li>
 *   <li>{@code earshot.sink.events} [earshot_sink_events_total] {label, state}: event records consumed</li>
 *   <li>{@code earshot.sink.output.written} [earshot_sink_output_written_total] {output}: rows/lines written</li>
 *   <li>{@code earshot.sink.output.skipped} [earshot_sink_output_skipped_total] {output, reason}: rows not written
 *       (reason {@code duplicate}: the output already holds them)</li>
 *   <li>{@code earshot.sink.consumer.lag} [earshot_sink_consumer_lag_records] {topic}: records behind the log end</li>
 *   <li>{@code earshot.sink.energy.*}: totals across detector instances (see {@link EnergyTotals})</li>
 * </ul>
 */
final class SinkMetrics {

    private final MeterRegistry registry;
    /** Distinct label tags kept; records of further labels are counted under {@link #OTHER_LABEL}. */
    static final int MAX_LABELS = 256;
    static final String OTHER_LABEL = "_other";

    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final java.util.Set<String> labels = ConcurrentHashMap.newKeySet();

    SinkMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    void record(String topic) {
        Counter.builder("earshot.sink.records").tag("topic", topic).description("Records consumed")
                .register(registry).increment();
    }

    void rejected(String topic, String reason) {
        Counter.builder("earshot.sink.records.rejected").tag("topic", topic).tag("reason", reason)
                .description("Records that could not be used (bad JSON, wrong fields)").register(registry).increment();
    }

    void event(String label, String state) {
        // Labels come from the records: a broken producer must not grow the registry without end.
        String tag = labels.contains(label) || (labels.size() < MAX_LABELS && labels.add(label)) ? label : OTHER_LABEL;
        Counter.builder("earshot.sink.events").tag("label", tag).tag("state", state)
                .description("Event lifecycle records consumed").register(registry).increment();
    }

    void written(String output, int rows) {
        Counter.builder("earshot.sink.output.written").tag("output", output)
                .description("Lines written to a file output (events or score rows)").register(registry)
                .increment(rows);
    }

    void skipped(String output, String reason, int rows) {
        Counter.builder("earshot.sink.output.skipped").tag("output", output).tag("reason", reason)
                .description("Rows an output did not write (duplicate: it already held them)").register(registry)
                .increment(rows);
    }

    void lag(String topic, long records) {
        lag.computeIfAbsent(topic, t -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder("earshot.sink.consumer.lag", holder, AtomicLong::get).tag("topic", t).baseUnit("records")
                    .description("Records between the sink's position and the end of the log, summed over partitions")
                    .register(registry);
            return holder;
        }).set(records);
    }

    void energy(EnergyTotals totals) {
        Gauge.builder("earshot.sink.energy.joules", totals, t -> t.total().joules()).baseUnit("joules")
                .description("Energy reported by all detector instances").register(registry);
        Gauge.builder("earshot.sink.energy.kwh", totals, t -> t.total().kwh())
                .description("Energy reported by all detector instances, kWh").register(registry);
        Gauge.builder("earshot.sink.energy.audio", totals, t -> t.total().audioSeconds()).baseUnit("seconds")
                .description("Audio processed by all detector instances").register(registry);
        Gauge.builder("earshot.sink.energy.kwh.per.audio.hour", totals, t -> t.total().kwhPerAudioHour())
                .description("kWh per hour of audio, all instances").register(registry);
        Gauge.builder("earshot.sink.energy.co2e", totals, t -> t.total().gramsCo2e()).baseUnit("grams")
                .description("Emissions estimate, all instances").register(registry);
        Gauge.builder("earshot.sink.energy.instances", totals, t -> t.total().instances())
                .description("Detector instances that have reported").register(registry);
    }
}
