package io.earshot.detector;

import io.earshot.detector.topology.BrokerContact;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The broker is answering while the detector's consumers complete fetches: a consumer's fetch returns at
 * least every {@code fetch.max.wait.ms} (500 ms) from a broker it can reach, with records or without, so
 * a cumulative fetch count that stops growing for {@link #GAP_MS} means the broker is away. Read from the
 * Kafka Streams client's own metrics ({@code consumer-fetch-manager-metrics}, {@code fetch-total}) of its
 * main consumers (restore consumers fetch only while restoring).
 */
final class ConsumerFetchContact implements BrokerContact {

    static final long GAP_MS = 2_000;

    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private double lastTotal = Double.NaN;
    private long lastProgressMs = Long.MIN_VALUE;
    private long answeringSinceMs = Long.MIN_VALUE;

    ConsumerFetchContact(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.metrics = metrics;
    }

    @Override
    public synchronized long answeringSinceMs(long nowMs) {
        double total = fetchTotal();
        if (Double.isNaN(lastTotal) || total > lastTotal) {
            if (lastProgressMs != Long.MIN_VALUE && nowMs - lastProgressMs > GAP_MS) {
                answeringSinceMs = nowMs; // back after an outage: idle time starts again from here
            }
            lastProgressMs = nowMs;
            lastTotal = total;
        }
        return nowMs - lastProgressMs > GAP_MS ? Long.MAX_VALUE : answeringSinceMs;
    }

    private double fetchTotal() {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
            MetricName n = e.getKey();
            String client = n.tags().getOrDefault("client-id", "");
            if (n.name().equals("fetch-total") && n.group().equals("consumer-fetch-manager-metrics")
                    && !n.tags().containsKey("topic") && !client.contains("restore")
                    && e.getValue().metricValue() instanceof Number v) {
                sum += v.doubleValue();
            }
        }
        return sum;
    }
}
