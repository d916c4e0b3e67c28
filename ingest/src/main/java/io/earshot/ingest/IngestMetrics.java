package io.earshot.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.function.Supplier;

/**
 * The ingest agents' meters (Prometheus names after the registry's naming convention):
 * <ul>
 *   <li>{@code earshot_ingest_audio_sent_seconds_total{source}}: audio acknowledged by Kafka</li>
 *   <li>{@code earshot_ingest_chunks_sent_total{source}}: chunks acknowledged (end-of-stream records included)</li>
 *   <li>{@code earshot_ingest_audio_dropped_seconds_total{source,reason}}: audio given up: {@code buffer_full}
 *       (microphone backlog past its bound), {@code send_failed} (Kafka did not take it), {@code shutdown} (still buffered when a stopped capture ran out of drain time)</li>
 *   <li>{@code earshot_ingest_send_errors_total{source}}: failed sends</li>
 *   <li>{@code earshot_ingest_buffer_fill_seconds{source}}: audio waiting in the microphone backlog</li>
 *   <li>{@code earshot_ingest_files_total{result}}: replayed files, {@code ok} or {@code failed}</li>
 * </ul>
 */
public final class IngestMetrics {

    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics that go nowhere but can still be read (tests, callers without a registry). */
    public static IngestMetrics standalone() {
        return new IngestMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void audioSent(String source, double seconds) {
        Counter.builder("earshot.ingest.audio.sent").baseUnit("seconds").description("Audio acknowledged by Kafka")
                .tag("source", source).register(registry).increment(seconds);
    }

    public void chunkSent(String source) {
        Counter.builder("earshot.ingest.chunks.sent").description("Audio chunks acknowledged by Kafka")
                .tag("source", source).register(registry).increment();
    }

    public void audioDropped(String source, String reason, double seconds) {
        Counter.builder("earshot.ingest.audio.dropped").baseUnit("seconds").description("Captured audio given up")
                .tag("source", source).tag("reason", reason).register(registry).increment(seconds);
    }

    public void sendError(String source) {
        Counter.builder("earshot.ingest.send.errors").description("Chunks Kafka did not accept")
                .tag("source", source).register(registry).increment();
    }

    public void fileReplayed(boolean ok) {
        Counter.builder("earshot.ingest.files").description("Replayed files by result")
                .tag("result", ok ? "ok" : "failed").register(registry).increment();
    }

    /** Registers the backlog gauge; the supplier is sampled at scrape time. */
    public void bufferFill(String source, Supplier<Number> seconds) {
        io.micrometer.core.instrument.Gauge.builder("earshot.ingest.buffer.fill", seconds).baseUnit("seconds")
                .description("Audio waiting in the capture backlog").tag("source", source).register(registry);
    }

    public double audioSentSeconds(String source) {
        Counter c = registry.find("earshot.ingest.audio.sent").tag("source", source).counter();
        return c == null ? 0 : c.count();
    }

    public double chunksSent(String source) {
        Counter c = registry.find("earshot.ingest.chunks.sent").tag("source", source).counter();
        return c == null ? 0 : c.count();
    }

    public double audioDroppedSeconds(String source) {
        return registry.find("earshot.ingest.audio.dropped").tag("source", source).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
