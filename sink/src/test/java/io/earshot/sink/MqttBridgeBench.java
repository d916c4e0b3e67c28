package io.earshot.sink;

import io.earshot.broker.EmbeddedKafkaBroker;
import io.earshot.broker.EmbeddedMqttBroker;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How fast the MQTT bridge drains the events topic into an MQTT broker (not a test: run by hand). Produces
 * EVENTS events (start + end records) over SOURCES sources and 12 labels, then times a fresh sink with only the
 * MQTT output, from start to caught up (every message acknowledged, offsets committed), into the embedded
 * Moquette broker in the same JVM, with Home Assistant discovery on.
 *
 * <pre>java -cp "sink/target/test-classes:sink/target/classes:$(cat cp.txt)" io.earshot.sink.MqttBridgeBench</pre>
 */
public final class MqttBridgeBench {

    private static final int EVENTS = 20_000;
    private static final int SOURCES = 100;

    public static void main(String[] args) throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.startTemporary()) {
            AtomicLong arrived = new AtomicLong();
            try (EmbeddedMqttBroker mqtt = EmbeddedMqttBroker.start(EmbeddedMqttBroker.Options.loopback(),
                    m -> arrived.incrementAndGet())) {
                Topics topics = Topics.defaults();
                Properties p = new Properties();
                p.put("bootstrap.servers", kafka.bootstrapServers());
                p.put("linger.ms", "20");
                List<String> labels = List.of("Alarm", "Bird", "Dog", "Engine", "Explosion", "Footsteps", "Keyboard",
                        "Music", "Scream", "Speech", "Tools", "Water");
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                        new ByteArraySerializer())) {
                    for (int i = 0; i < EVENTS; i++) {
                        String source = "src-" + (i % SOURCES) + ".wav";
                        long onset = 16_000L * (i / SOURCES) * 3;
                        String label = labels.get(i % labels.size());
                        producer.send(new ProducerRecord<>(topics.events(), source,
                                JsonSerde.soundEvents().toBytes(Records.start(source, label, onset, 0.8))));
                        producer.send(new ProducerRecord<>(topics.events(), source,
                                JsonSerde.soundEvents().toBytes(Records.end(source, label, onset, onset + 16_000, 0.8))));
                    }
                }
                SinkConfig config = new SinkConfig(p, topics, "bench-mqtt", false, null, null, null, false,
                        MqttConfig.forServer(mqtt.uri(), "bench"));
                long t0 = System.nanoTime();
                try (SinkService sink = SinkService.start(config, new PrintWriter(new StringWriter()),
                        new SimpleMeterRegistry())) {
                    if (!sink.awaitCaughtUp(Duration.ofMinutes(10))) {
                        throw new IllegalStateException("not caught up");
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%d event records from %d sources -> %d MQTT messages acknowledged in %.2f s:"
                        + " %.0f records/s, %.0f messages/s%n", EVENTS * 2, SOURCES, arrived.get(), s, EVENTS * 2 / s,
                        arrived.get() / s);
            }
        }
    }
}
