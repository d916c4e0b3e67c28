package io.earshot.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters of the MQTT bridge (docs/metrics.md; Prometheus names in brackets):
 * <ul>
 *   <li>{@code earshot.sink.mqtt.published} [earshot_sink_mqtt_published_total] {kind}: messages the broker
 *       acknowledged, by kind (state, event, level, discovery)</li>
 *   <li>{@code earshot.sink.mqtt.suppressed} [earshot_sink_mqtt_suppressed_total] {label}: event records not
 *       notified because of the label's cooldown</li>
 *   <li>{@code earshot.sink.mqtt.retries} [earshot_sink_mqtt_retries_total]: messages published again after a
 *       failed or timed-out delivery</li>
 *   <li>{@code earshot.sink.mqtt.reconnects} [earshot_sink_mqtt_reconnects_total]: automatic reconnections</li>
 *   <li>{@code earshot.sink.mqtt.republished} [earshot_sink_mqtt_republished_total]: retained messages published
 *       again after a (re)connect or a Home Assistant restart</li>
 *   <li>{@code earshot.sink.mqtt.connected} [earshot_sink_mqtt_connected]: 1 while connected</li>
 *   <li>{@code earshot.sink.mqtt.flush} [earshot_sink_mqtt_flush_seconds]: from the start of a batch's
 *       publication to the broker's last acknowledgement (the delay before the sink commits)</li>
 * </ul>
 */
final class MqttMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger connected = new AtomicInteger();
    private final Counter retries;
    private final Counter reconnects;
    private final Counter republished;
    private final Timer flush;

    MqttMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("earshot.sink.mqtt.connected", connected, AtomicInteger::get)
                .description("1 while the MQTT bridge is connected to its broker").register(registry);
        retries = Counter.builder("earshot.sink.mqtt.retries")
                .description("MQTT messages published again after a failed or timed-out delivery").register(registry);
        reconnects = Counter.builder("earshot.sink.mqtt.reconnects")
                .description("Automatic reconnections to the MQTT broker").register(registry);
        republished = Counter.builder("earshot.sink.mqtt.republished")
                .description("Retained MQTT messages published again after a reconnect or a Home Assistant restart")
                .register(registry);
        flush = Timer.builder("earshot.sink.mqtt.flush")
                .description("Publication of one consumed batch until the MQTT broker acknowledged all of it")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        for (String kind : new String[] {"state", "event", "level", "discovery"}) {
            publishedCounter(kind);
        }
    }

    private Counter publishedCounter(String kind) {
        return Counter.builder("earshot.sink.mqtt.published").tag("kind", kind)
                .description("MQTT messages acknowledged by the broker").register(registry);
    }

    void published(String kind) {
        publishedCounter(kind).increment();
    }

    void suppressed(String label) {
        Counter.builder("earshot.sink.mqtt.suppressed").tag("label", label)
                .description("Event records not notified over MQTT because of the label's cooldown")
                .register(registry).increment();
    }

    void retried(int messages) {
        retries.increment(messages);
    }

    void reconnected() {
        reconnects.increment();
    }

    void republished(int messages) {
        republished.increment(messages);
    }

    void connected(boolean up) {
        connected.set(up ? 1 : 0);
    }

    Timer flushTimer() {
        return flush;
    }
}
