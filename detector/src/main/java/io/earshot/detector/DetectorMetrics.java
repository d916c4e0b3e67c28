package io.earshot.detector;

import io.earshot.detector.inference.BatchListener;
import io.earshot.telemetry.WorkCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The detector's meters (all names start with {@code earshot.detector.}; see docs/detector.md) and
 * the work counters the energy report is normalised by. Thread-safe.
 */
public final class DetectorMetrics implements BatchListener {

    private final MeterRegistry registry;
    private final WorkCounters work;
    private final Timer inferenceLatency;
    private final DistributionSummary batchSize;
    private final Timer captureToEvent;
    private final Timer onsetToStart;
    private final Timer windowLatency;
    private final AtomicLong openEvents = new AtomicLong();
    private final ConcurrentHashMap<String, Counter> audioSeconds = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> events = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Counter duplicates;
    private final Counter gaps;
    private final Counter windows;

    public DetectorMetrics(MeterRegistry registry, WorkCounters work) {
        this.registry = registry;
        this.work = work;
        this.inferenceLatency = Timer.builder("earshot.detector.inference.latency")
                .description("Wall time of one model call (one batch of windows)")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
        this.batchSize = DistributionSummary.builder("earshot.detector.batch.size")
                .description("Windows per model call").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(256.0).register(registry);
        this.captureToEvent = Timer.builder("earshot.detector.capture.to.event.latency")
                .description("From the capture of the newest audio sample an event decision needed to the event record")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120)).register(registry);
        this.onsetToStart = Timer.builder("earshot.detector.onset.to.start.latency")
                .description("From the capture of an event's onset to its start record (includes the window delay)")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120)).register(registry);
        this.windowLatency = Timer.builder("earshot.detector.window.latency")
                .description("From the capture of a window's newest sample to the publication of the scores it made final")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120)).register(registry);
        Gauge.builder("earshot.detector.events.open", openEvents, AtomicLong::get)
                .description("Events started and not yet ended by this process").register(registry);
        this.duplicates = Counter.builder("earshot.detector.chunks.duplicate")
                .description("Audio chunks dropped as already seen").register(registry);
        this.gaps = Counter.builder("earshot.detector.gaps")
                .description("Gaps in sample indices (open events closed, state restarted)").register(registry);
        this.windows = Counter.builder("earshot.detector.windows")
                .description("Windows run through the model").register(registry);
    }

    public WorkCounters work() {
        return work;
    }

    @Override
    public void batchDone(int windowCount, long nanos) {
        inferenceLatency.record(nanos, TimeUnit.NANOSECONDS);
        batchSize.record(windowCount);
        windows.increment(windowCount);
        work.addInferences(windowCount);
    }

    public void audio(String source, long samples, int sampleRate) {
        if (samples <= 0) {
            return;
        }
        double seconds = samples / (double) sampleRate;
        audioSeconds.computeIfAbsent(source, s -> Counter.builder("earshot.detector.audio")
                .baseUnit("seconds").tag("source", s).description("Audio seconds analysed per source")
                .register(registry)).increment(seconds);
        work.addAudioSeconds(seconds);
    }

    public void rejected(DlqReason reason) {
        rejected.computeIfAbsent(reason.code(), r -> Counter.builder("earshot.detector.chunks.rejected")
                .tag("reason", r).description("Audio records sent to the dead-letter topic").register(registry))
                .increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void gap() {
        gaps.increment();
    }

    /** An event record was published; latencies in microseconds (negative values are not recorded). */
    public void event(String label, boolean start, long captureToEventMicros, long onsetToStartMicros) {
        events.computeIfAbsent(label + (start ? "\0start" : "\0end"), k -> Counter.builder("earshot.detector.events")
                .tag("label", label).tag("state", start ? "start" : "end")
                .description("Event records published").register(registry)).increment();
        openEvents.addAndGet(start ? 1 : -1);
        if (captureToEventMicros >= 0) {
            captureToEvent.record(captureToEventMicros, TimeUnit.MICROSECONDS);
        }
        if (start && onsetToStartMicros >= 0) {
            onsetToStart.record(onsetToStartMicros, TimeUnit.MICROSECONDS);
        }
    }

    /** A window's output was published, {@code micros} after its newest sample was captured. */
    public void windowPublished(long micros) {
        if (micros >= 0) {
            windowLatency.record(micros, TimeUnit.MICROSECONDS);
        }
    }

    public Timer windowLatencyTimer() {
        return windowLatency;
    }

    public Timer captureToEventTimer() {
        return captureToEvent;
    }

    public Timer onsetToStartTimer() {
        return onsetToStart;
    }

    public Timer inferenceTimer() {
        return inferenceLatency;
    }

    public DistributionSummary batchSizes() {
        return batchSize;
    }
}
