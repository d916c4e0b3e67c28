package io.earshot.sink;

import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The MQTT bridge as a sink output (docs/mqtt.md): per source and label a retained ON/OFF state and the event
 * records, per source a level, the bridge's availability, and Home Assistant discovery for all of them.
 *
 * <p>Messages of a consumed batch are collected and published by {@link #flush()}, which returns only after the
 * broker acknowledged every one (QoS 1): the sink commits its Kafka offsets after the flush, so a record is
 * never committed before its MQTT messages are delivered, even across a broker restart.
 */
final class MqttEventOutput implements EventOutput {

    private final MqttConfig config;
    private final MqttTopics topics;
    private final HomeAssistantDiscovery discovery;
    private final MqttMetrics metrics;
    private final MqttPublisher publisher;
    private final MqttEventStates states;
    private final JsonSerde<SoundEvent> serde = JsonSerde.soundEvents();
    private final List<MqttPublisher.Message> outbox = new ArrayList<>();
    private final Set<String> announced = new HashSet<>();
    private final Map<String, LevelWindow> levels = new HashMap<>();

    /** Connects to the broker; fails with the broker's address and the reason when that is not possible. */
    MqttEventOutput(MqttConfig config, MqttMetrics metrics) throws IOException {
        this.config = config;
        this.topics = new MqttTopics(config.topicPrefix(), config.discoveryPrefix());
        this.discovery = new HomeAssistantDiscovery(topics);
        this.metrics = metrics;
        this.states = new MqttEventStates(config.cooldowns());
        this.publisher = new MqttPublisher(config, topics, metrics);
    }

    @Override
    public String name() {
        return "mqtt";
    }

    @Override
    public Outcome accept(SoundEvent e) {
        announceSource(e.sourceId());
        announceLabel(e.sourceId(), e.label());
        MqttEventStates.Decision d = states.apply(e);
        switch (d) {
            case DUPLICATE:
                return Outcome.DUPLICATE;
            case SUPPRESSED:
                metrics.suppressed(e.label());
                return Outcome.IGNORED;
            default:
                break;
        }
        // The event first: Home Assistant takes it as the entity's attributes, which should be current when the
        // state changes and an automation reads them.
        outbox.add(new MqttPublisher.Message(topics.event(e.sourceId(), e.label()), serde.toBytes(e), false, "event"));
        if (d != MqttEventStates.Decision.EVENT_ONLY) {
            outbox.add(MqttPublisher.Message.text(topics.state(e.sourceId(), e.label()),
                    d == MqttEventStates.Decision.ON ? "ON" : "OFF", true, "state"));
        }
        return Outcome.WRITTEN;
    }

    /**
     * Adds one level measurement of a source; every {@code levelIntervalSeconds} of audio the source's level
     * sensor gets the power mean of the RMS levels and the highest peak of the interval.
     */
    void acceptLevel(String source, long startTimeMicros, double seconds, double rmsDbfs, double peakDbfs) {
        announceSource(source);
        announceLevel(source);
        LevelWindow w = levels.computeIfAbsent(source, s -> new LevelWindow());
        w.add(startTimeMicros, seconds, rmsDbfs, peakDbfs);
        if (w.seconds >= config.levelIntervalSeconds()) {
            outbox.add(MqttPublisher.Message.text(topics.level(source), w.json(), true, "level"));
            levels.remove(source);
        }
    }

    private void announceSource(String source) {
        if (announced.add(source)) {
            for (String label : config.labels()) {
                announceLabel(source, label);
            }
        }
    }

    private void announceLabel(String source, String label) {
        if (config.discoveryPrefix() != null && announced.add(source + "\u0000" + label)) {
            outbox.add(MqttPublisher.Message.text(topics.binarySensorConfig(source, label),
                    discovery.binarySensor(source, label), true, "discovery"));
        }
    }

    private void announceLevel(String source) {
        if (config.discoveryPrefix() != null && announced.add(source + "\u0000\u0000level")) {
            outbox.add(MqttPublisher.Message.text(topics.levelSensorConfig(source),
                    discovery.levelSensor(source, config.levelIntervalSeconds()), true, "discovery"));
        }
    }

    @Override
    public void flush() throws IOException {
        if (outbox.isEmpty()) {
            return;
        }
        Timer.Sample t = Timer.start();
        publisher.publishAndWait(outbox);
        t.stop(metrics.flushTimer());
        outbox.clear();
    }

    @Override
    public void abandon() {
        publisher.abandon();
    }

    @Override
    public void close() {
        publisher.close();
    }

    /** Level measurements of one source since its last published level. */
    private static final class LevelWindow {
        long startMicros = Long.MIN_VALUE;
        double seconds;
        double energy; // sum of seconds x mean square
        double peakDbfs = -120;

        void add(long start, double s, double rmsDbfs, double peak) {
            if (startMicros == Long.MIN_VALUE) {
                startMicros = start;
            }
            seconds += s;
            energy += s * Math.pow(10, rmsDbfs / 10);
            peakDbfs = Math.max(peakDbfs, peak);
        }

        String json() {
            double rms = seconds > 0 && energy > 0 ? Math.max(-120, 10 * Math.log10(energy / seconds)) : -120;
            return String.format(Locale.ROOT,
                    "{\"rms_dbfs\":%.1f,\"peak_dbfs\":%.1f,\"start_time_us\":%d,\"seconds\":%.3f}",
                    rms, peakDbfs, startMicros, seconds);
        }
    }
}
