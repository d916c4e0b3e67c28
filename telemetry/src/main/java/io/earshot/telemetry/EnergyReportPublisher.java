package io.earshot.telemetry;

import io.earshot.protocol.EnergyReport;
import io.earshot.protocol.JsonSerde;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an {@link EnergyReport} every {@link EnergyConfig#reportInterval()} to the energy topic,
 * keyed by instance id, and mirrors the totals as Micrometer meters. {@link #close()} publishes the
 * last, partial interval so no joule goes unreported.
 *
 * <p>Meters (tags: instance, method): {@code earshot.energy.joules} (counter),
 * {@code earshot.energy.co2e} (counter, grams), {@code earshot.energy.reports} (counter),
 * {@code earshot.energy.power} (gauge, watts over the last interval),
 * {@code earshot.energy.joules.per.audio.hour} (gauge, last interval), and the work counters
 * {@code earshot.work.audio} (seconds) and {@code earshot.work.inferences}.
 */
public final class EnergyReportPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EnergyReportPublisher.class);

    private final EnergyReporter reporter;
    private final Consumer<EnergyReport> output;
    private final AutoCloseable outputCloser;
    private final ScheduledExecutorService scheduler;
    private final Counter joulesCounter;
    private final Counter co2eCounter;
    private final Counter reportsCounter;
    private final AtomicReference<EnergyReport> last = new AtomicReference<>();
    private boolean closed;

    private EnergyReportPublisher(EnergyConfig config, EnergyMeter meter, WorkCounters work, Clock clock,
                                  Consumer<EnergyReport> output, AutoCloseable outputCloser, MeterRegistry registry) {
        this.reporter = new EnergyReporter(config.instanceId(), config.gridGramsCo2ePerKwh(), meter, work, clock);
        this.output = output;
        this.outputCloser = outputCloser;
        Tags tags = Tags.of("instance", config.instanceId(), "method", meter.method());
        this.joulesCounter = Counter.builder("earshot.energy.joules").baseUnit("joules").tags(tags)
                .description("Energy spent by this instance, as reported to the energy topic").register(registry);
        this.co2eCounter = Counter.builder("earshot.energy.co2e").baseUnit("grams").tags(tags)
                .description("Emissions estimate from the configured grid intensity").register(registry);
        this.reportsCounter = Counter.builder("earshot.energy.reports").tags(tags)
                .description("Energy reports published").register(registry);
        Gauge.builder("earshot.energy.power", last, r -> r.get() == null ? Double.NaN : watts(r.get()))
                .baseUnit("watts").tags(tags).description("Mean power over the last reported interval")
                .register(registry);
        Gauge.builder("earshot.energy.joules.per.audio.hour", last, r -> r.get() == null
                        || r.get().joulesPerAudioHour() == null ? Double.NaN : r.get().joulesPerAudioHour())
                .tags(tags).description("Joules per hour of audio processed over the last reported interval")
                .register(registry);
        FunctionCounter.builder("earshot.work.audio", work, WorkCounters::audioSeconds).baseUnit("seconds")
                .tags("instance", config.instanceId()).description("Audio processed by the model")
                .register(registry);
        FunctionCounter.builder("earshot.work.inferences", work, WorkCounters::inferences)
                .tags("instance", config.instanceId()).description("Model inferences (windows) run")
                .register(registry);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "earshot-energy-" + config.instanceId());
            t.setDaemon(true);
            return t;
        });
        long periodMs = config.reportInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::publishSafely, periodMs, periodMs, TimeUnit.MILLISECONDS);
        LOG.info("energy reports every {} for instance {} from {}", config.reportInterval(), config.instanceId(),
                meter.describe());
    }

    /**
     * Starts publishing to {@code topic} with a producer built from {@code kafkaProperties}
     * (bootstrap servers and any security settings; serializers are set here).
     */
    public static EnergyReportPublisher start(EnergyConfig config, EnergyMeter meter, WorkCounters work,
                                              Properties kafkaProperties, String topic, MeterRegistry registry) {
        // Only producer settings: callers often pass their Streams or consumer properties, which the
        // producer would warn about one by one.
        Properties props = new Properties();
        kafkaProperties.forEach((k, v) -> {
            // config.providers.<name>.class and its parameters resolve ${file:...} in the other settings
            // (a password kept in a file of its own): they are not in configNames() but must come along.
            String key = String.valueOf(k);
            if (ProducerConfig.configNames().contains(key) || key.startsWith("config.providers")) {
                props.put(k, v);
            }
        });
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        io.earshot.protocol.KafkaClientDefaults.applyTo(props);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "earshot-energy-" + config.instanceId());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // An unreachable cluster must not hold a detector's shutdown for Kafka's default minute.
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        Producer<String, EnergyReport> producer =
                new KafkaProducer<>(props, new StringSerializer(), JsonSerde.energyReports().serializer());
        Consumer<EnergyReport> send = report -> producer.send(new ProducerRecord<>(topic, report.instanceId(), report),
                (meta, error) -> {
                    if (error != null) {
                        LOG.warn("energy report of {} not delivered to {}: {}", report.instanceId(), topic,
                                error.toString());
                    }
                });
        // close(timeout) still delivers the final report when the broker is up; a flush() first would wait
        // for delivery.timeout.ms (two minutes) when it is gone.
        AutoCloseable closer = () -> producer.close(Duration.ofSeconds(5));
        return new EnergyReportPublisher(config, meter, work, Clock.systemUTC(), send, closer, registry);
    }

    /** Starts publishing to any consumer of reports (tests, or a process without Kafka). */
    public static EnergyReportPublisher start(EnergyConfig config, EnergyMeter meter, WorkCounters work, Clock clock,
                                              Consumer<EnergyReport> output, MeterRegistry registry) {
        return new EnergyReportPublisher(config, meter, work, clock, output, () -> { }, registry);
    }

    /** Closes the current interval now and publishes its report (also called on schedule). */
    public synchronized EnergyReport publishNow() {
        EnergyReport report = reporter.next();
        joulesCounter.increment(report.joules());
        co2eCounter.increment(report.gramsCo2e());
        reportsCounter.increment();
        last.set(report);
        output.accept(report);
        return report;
    }

    /** The most recent report, or null before the first. */
    public EnergyReport lastReport() {
        return last.get();
    }

    private void publishSafely() {
        try {
            synchronized (this) {
                if (!closed) {
                    publishNow();
                }
            }
        } catch (RuntimeException e) {
            // One failed report must not cancel the schedule (a ScheduledExecutorService stops on a throw).
            LOG.warn("energy report failed: {}", e.toString());
        }
    }

    private static double watts(EnergyReport r) {
        double seconds = (r.intervalEndMicros() - r.intervalStartMicros()) / 1e6;
        return seconds > 0 ? r.joules() / seconds : Double.NaN;
    }

    /** Publishes the final partial interval, then flushes and closes the producer. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                publishNow();
            } catch (RuntimeException e) {
                LOG.warn("final energy report failed: {}", e.toString());
            }
            closed = true;
        }
        try {
            outputCloser.close();
        } catch (Exception e) {
            LOG.warn("closing the energy report producer failed: {}", e.toString());
        }
    }
}
