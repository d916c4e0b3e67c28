package io.earshot.protocol;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka metrics reporter (set on every Earshot client by {@link KafkaClientDefaults}) that logs one line
 * when the client cannot reach its broker, one every {@link #INTERVAL_MS} while that lasts, and one when it
 * is back, instead of Kafka's two warnings per reconnect attempt (the launcher turns those off). It reads
 * the client's own selector counters ({@link BrokerOutageTracker}) once a second on one shared daemon thread.
 */
public final class KafkaOutageLog implements MetricsReporter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOutageLog.class);
    static final long INTERVAL_MS = 10_000;
    private static final ScheduledExecutorService CHECKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "earshot-kafka-outage-log");
        t.setDaemon(true);
        return t;
    });

    private final BrokerOutageTracker tracker = new BrokerOutageTracker(INTERVAL_MS);
    private volatile KafkaMetric closes;
    private volatile KafkaMetric creations;
    private volatile String client = "?";
    private ScheduledFuture<?> task;

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public synchronized void init(List<KafkaMetric> metrics) {
        metrics.forEach(this::metricChange);
        task = CHECKER.scheduleAtFixedRate(this::check, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void metricChange(KafkaMetric metric) {
        String group = metric.metricName().group();
        String id = metric.metricName().tags().get("client-id");
        // the client's selector counters: group producer-metrics, consumer-metrics, admin-client-metrics
        if (id == null || !group.endsWith("-metrics") || group.contains("node") || group.contains("topic")) {
            return;
        }
        if (metric.metricName().name().equals("connection-close-total")) {
            client = id;
            closes = metric;
        } else if (metric.metricName().name().equals("connection-creation-total")) {
            creations = metric;
        }
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
    }

    private void check() {
        KafkaMetric c = closes;
        KafkaMetric n = creations;
        if (c == null || n == null) {
            return;
        }
        try {
            tracker.observe(System.currentTimeMillis(), ((Number) c.metricValue()).doubleValue(),
                    ((Number) n.metricValue()).doubleValue()).ifPresent(line -> LOG.warn("[{}] {}", client, line));
        } catch (RuntimeException e) {
            LOG.debug("outage check of {} failed", client, e);
        }
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
