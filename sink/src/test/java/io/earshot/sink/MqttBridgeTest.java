package io.earshot.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.broker.EmbeddedMqttBroker;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.SourceLevels;
import io.earshot.protocol.Topics;
import io.earshot.telemetry.MetricsEndpoint;
import io.earshot.telemetry.PrometheusScrape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT bridge between a real in-process Kafka broker and a real MQTT broker (Moquette), watched by a
 * separate MQTT subscriber: states, events, discovery, availability, a broker restart with Kafka offsets held
 * back until the broker acknowledged, cooldowns, and authentication over TLS.
 */
class MqttBridgeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    private static Properties clientProps() {
        return KAFKA.clientProperties();
    }

    private static Topics createTopics(String prefix) throws Exception {
        Topics topics = Topics.withPrefix(prefix);
        try (Admin admin = Admin.create(clientProps())) {
            admin.createTopics(List.of(new NewTopic(topics.events(), 2, (short) 1))).all().get();
        }
        return topics;
    }

    private static void produce(Topics topics, SoundEvent... events) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(clientProps(), new StringSerializer(),
                new ByteArraySerializer())) {
            for (SoundEvent e : events) {
                p.send(new ProducerRecord<>(topics.events(), e.sourceId(), JsonSerde.soundEvents().toBytes(e))).get();
            }
        }
    }

    private static PrintWriter quiet() {
        return new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** One message as a subscriber received it. */
    record Received(String topic, String payload, boolean retained) {
    }

    /** A plain MQTT client subscribed to everything: what Home Assistant would see. */
    static final class Watcher implements AutoCloseable {
        final ConcurrentLinkedQueue<Received> messages = new ConcurrentLinkedQueue<>();
        final MqttClient client;

        Watcher(String uri, MqttConnectOptions options) throws Exception {
            client = connected(uri, options);
        }

        /**
         * The watcher stands in for a subscriber such as Home Assistant, which reconnects: on a loaded machine
         * the broker has been seen to drop a connection during CONNECT / SUBSCRIBE (Paho: "Connection lost"),
         * which says nothing about the bridge under test, so the watcher tries again before any test step.
         */
        private MqttClient connected(String uri, MqttConnectOptions options) throws Exception {
            for (int attempt = 1; ; attempt++) {
                MqttClient c = new MqttClient(uri, "watcher-" + System.nanoTime(), new MemoryPersistence());
                try {
                    c.connect(options);
                    c.subscribe("#", 1, (topic, m) -> messages.add(
                            new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained())));
                    return c;
                } catch (MqttException e) {
                    c.close(true);
                    if (attempt == 5 || e.getReasonCode() != MqttException.REASON_CODE_CONNECTION_LOST) {
                        throw e;
                    }
                    Thread.sleep(200L * attempt);
                }
            }
        }

        Watcher(String uri) throws Exception {
            this(uri, new MqttConnectOptions());
        }

        List<Received> on(String topic) {
            return messages.stream().filter(r -> r.topic().equals(topic)).toList();
        }

        String last(String topic) {
            List<Received> l = on(topic);
            return l.isEmpty() ? null : l.get(l.size() - 1).payload();
        }

        void await(String what, Predicate<Watcher> condition) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!condition.test(this)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + what + "; received: " + messages);
                }
                Thread.sleep(50);
            }
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    private static long committed(String group, Topics topics) throws Exception {
        try (Admin admin = Admin.create(clientProps())) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topics.events()))
                    .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset()).sum();
        }
    }

    private static long endOffsets(Topics topics) throws Exception {
        try (Admin admin = Admin.create(clientProps())) {
            Map<TopicPartition, OffsetSpec> req = Map.of(new TopicPartition(topics.events(), 0), OffsetSpec.latest(),
                    new TopicPartition(topics.events(), 1), OffsetSpec.latest());
            return admin.listOffsets(req).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    @Test
    void statesEventsDiscoveryAndAvailabilityReachTheBroker() throws Exception {
        Topics topics = createTopics("mq1.");
        String street = "street/01.wav"; // a slash must not open a new topic level
        produce(topics,
                Records.start(street, "Speech", 16_000, 0.9),
                Records.start(street, "Dog", 32_000, 0.8),
                Records.end(street, "Dog", 32_000, 48_000, 0.7),
                Records.start("kitchen", "Music", 0, 0.6));
        try (EmbeddedMqttBroker mqtt = EmbeddedMqttBroker.startTemporary();
             Watcher ha = new Watcher(mqtt.uri());
             MetricsEndpoint metrics = MetricsEndpoint.withoutHttp("sink")) {
            MqttConfig m = MqttConfig.forServer(mqtt.uri(), "bridge-1").withLabels(List.of("Speech", "Music", "Dog"));
            SinkConfig config = new SinkConfig(clientProps(), topics, "mqtt-1", false, null, null, null, false, m);
            try (SinkService sink = SinkService.start(config, quiet(), metrics.registry())) {
                assertTrue(sink.awaitCaughtUp(WAIT), "caught up");
                ha.await("states", w -> "OFF".equals(w.last("earshot/street_01.wav/Dog/state"))
                        && "ON".equals(w.last("earshot/kitchen/Music/state")));
                assertEquals("online", ha.last("earshot/availability"));
                assertEquals(List.of("ON"), ha.on("earshot/street_01.wav/Speech/state").stream()
                        .map(Received::payload).toList());
                assertEquals(List.of("ON", "OFF"), ha.on("earshot/street_01.wav/Dog/state").stream()
                        .map(Received::payload).toList());

                // event records exactly as on the events topic
                List<Received> dogEvents = ha.on("earshot/street_01.wav/Dog/event");
                assertEquals(2, dogEvents.size());
                SoundEvent end = JsonSerde.MAPPER.readValue(dogEvents.get(1).payload(), SoundEvent.class);
                assertEquals(Records.end(street, "Dog", 32_000, 48_000, 0.7), end);

                // discovery: one binary_sensor per source x label (all three labels announced for each source)
                String cfgTopic = "homeassistant/binary_sensor/earshot_street_01_wav/Speech/config";
                JsonNode cfg = JsonSerde.MAPPER.readTree(ha.last(cfgTopic));
                assertEquals("Speech", cfg.get("name").asText());
                assertEquals("earshot_street_01_wav_Speech", cfg.get("unique_id").asText());
                assertEquals("earshot/street_01.wav/Speech/state", cfg.get("state_topic").asText());
                assertEquals("ON", cfg.get("payload_on").asText());
                assertEquals("OFF", cfg.get("payload_off").asText());
                assertEquals("sound", cfg.get("device_class").asText());
                assertEquals("earshot/availability", cfg.get("availability_topic").asText());
                assertEquals("earshot/street_01.wav/Speech/event", cfg.get("json_attributes_topic").asText());
                assertEquals("earshot_street_01_wav", cfg.get("device").get("identifiers").get(0).asText());
                assertEquals("Earshot street/01.wav", cfg.get("device").get("name").asText());
                long configs = ha.messages.stream().map(Received::topic).distinct()
                        .filter(t -> t.startsWith("homeassistant/binary_sensor/")).count();
                assertEquals(6, configs, "2 sources x 3 labels");
                assertEquals(0, ha.messages.stream().filter(r -> r.topic().startsWith("homeassistant/sensor/")).count(),
                        "no levels topic: no level sensors, and the sink runs without it");

                // metrics of the bridge, in docs/metrics.md
                PrometheusScrape scrape = PrometheusScrape.parse(metrics.scrape());
                assertEquals(4.0, scrape.value("earshot_sink_mqtt_published_total", Map.of("kind", "event")).orElseThrow());
                assertEquals(4.0, scrape.value("earshot_sink_mqtt_published_total", Map.of("kind", "state")).orElseThrow());
                assertEquals(1.0, scrape.value("earshot_sink_mqtt_connected", Map.of()).orElseThrow());
                assertEquals(4.0, scrape.value("earshot_sink_output_written_total", Map.of("output", "mqtt")).orElseThrow());
                String doc = Files.readString(Path.of(System.getProperty("earshot.repo.root", ".."), "docs", "metrics.md"));
                assertEquals(List.of(), scrape.undocumentedIn(doc), "every MQTT metric is in docs/metrics.md");
            }
            // a clean stop says offline (retained), so Home Assistant shows the entities unavailable
            ha.await("offline", w -> "offline".equals(w.last("earshot/availability")));
        }
    }

    @Test
    void aBrokerRestartLosesNothingAndStatesArePublishedAgain() throws Exception {
        Topics topics = createTopics("mq2.");
        produce(topics, Records.start("hall", "Speech", 0, 0.9), Records.start("hall", "Music", 0, 0.8),
                Records.end("hall", "Music", 0, 16_000, 0.8));
        EmbeddedMqttBroker mqtt = EmbeddedMqttBroker.startTemporary();
        EmbeddedMqttBroker.Options sameAddress = mqtt.options();
        MqttConfig m = MqttConfig.forServer(mqtt.uri(), "bridge-2");
        SinkConfig config = new SinkConfig(clientProps(), topics, "mqtt-2", false, null, null, null, false, m);
        try (MetricsEndpoint metrics = MetricsEndpoint.withoutHttp("sink");
             SinkService sink = SinkService.start(config, quiet(), metrics.registry())) {
            try (Watcher before = new Watcher(mqtt.uri())) {
                assertTrue(sink.awaitCaughtUp(WAIT));
                before.await("first states", w -> "OFF".equals(w.last("earshot/hall/Music/state")));
            }
            assertEquals(3, committed("mqtt-2", topics));

            mqtt.close(); // the broker goes away, and with it every retained message (no persistence)
            produce(topics, Records.start("hall", "Dog", 48_000, 0.7), Records.end("hall", "Speech", 0, 64_000, 0.9));
            // The sink consumes them but cannot deliver: its offsets must stay where they were.
            Thread.sleep(3_000);
            assertEquals(3, committed("mqtt-2", topics), "nothing committed while the MQTT broker is down");
            assertEquals(0.0, PrometheusScrape.parse(metrics.scrape()).value("earshot_sink_mqtt_connected", Map.of())
                    .orElseThrow());

            // The restarted broker knows nothing: whatever reaches it now, the bridge published.
            ConcurrentLinkedQueue<EmbeddedMqttBroker.Published> arrived = new ConcurrentLinkedQueue<>();
            mqtt = EmbeddedMqttBroker.start(sameAddress, arrived::add);
            awaitPublished(arrived, "earshot/hall/Dog/state", "ON");
            awaitPublished(arrived, "earshot/hall/Speech/state", "OFF");
            // states from before the restart, published again
            awaitPublished(arrived, "earshot/hall/Music/state", "OFF");
            awaitPublished(arrived, "earshot/availability", "online");
            awaitPublished(arrived, "homeassistant/binary_sensor/earshot_hall/Music/config", null);
            List<EmbeddedMqttBroker.Published> dogEvents = arrived.stream()
                    .filter(p -> p.topic().equals("earshot/hall/Dog/event")).toList();
            assertFalse(dogEvents.isEmpty(), "the event consumed during the outage is delivered");
            assertEquals(Records.start("hall", "Dog", 48_000, 0.7),
                    JsonSerde.MAPPER.readValue(dogEvents.get(0).payload(), SoundEvent.class));
            assertTrue(sink.awaitCaughtUp(WAIT));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (committed("mqtt-2", topics) < 5 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(endOffsets(topics), committed("mqtt-2", topics), "everything committed after delivery");
            PrometheusScrape scrape = PrometheusScrape.parse(metrics.scrape());
            assertTrue(scrape.value("earshot_sink_mqtt_reconnects_total", Map.of()).orElseThrow() >= 1);
            assertTrue(scrape.value("earshot_sink_mqtt_republished_total", Map.of()).orElseThrow() >= 3);
            // and a subscriber that comes now finds the retained states
            try (Watcher after = new Watcher(mqtt.uri())) {
                after.await("retained states", w -> "OFF".equals(w.last("earshot/hall/Music/state"))
                        && "ON".equals(w.last("earshot/hall/Dog/state")));
            }
        } finally {
            mqtt.close();
        }
    }

    @Test
    void levelsBecomeALevelSensor() throws Exception {
        Topics topics = Topics.withPrefix("mq5.");
        try (Admin admin = Admin.create(clientProps())) {
            admin.createTopics(List.of(new NewTopic(topics.events(), 1, (short) 1),
                    new NewTopic(topics.levels(), 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(clientProps(), new StringSerializer(),
                new ByteArraySerializer())) {
            double[][] rmsPeak = {{-20, -3}, {-30, -6}, {-40, -10}};
            for (int i = 0; i < rmsPeak.length; i++) {
                SourceLevels l = new SourceLevels("yard", "s1", Records.RATE, 4096L * i, 4096L * (i + 1),
                        Records.T0_MICROS + 256_000L * i, rmsPeak[i][0], rmsPeak[i][1], 1024, 50, 8000,
                        List.of(new int[] {-40, -50}));
                p.send(new ProducerRecord<>(topics.levels(), "yard", JsonSerde.sourceLevels().toBytes(l))).get();
            }
        }
        try (EmbeddedMqttBroker mqtt = EmbeddedMqttBroker.startTemporary();
             Watcher ha = new Watcher(mqtt.uri());
             MetricsEndpoint metrics = MetricsEndpoint.withoutHttp("sink")) {
            // 0.5 s per update: the first two intervals of 0.256 s make one level, the third waits for more
            MqttConfig m = MqttConfig.forServer(mqtt.uri(), "bridge-7").withLevelInterval(0.5);
            SinkConfig config = new SinkConfig(clientProps(), topics, "mqtt-7", false, null, null, null, false, m);
            try (SinkService sink = SinkService.start(config, quiet(), metrics.registry())) {
                assertTrue(sink.awaitCaughtUp(WAIT));
                ha.await("level", w -> w.last("earshot/yard/level") != null);
                JsonNode level = JsonSerde.MAPPER.readTree(ha.last("earshot/yard/level"));
                // power mean of -20 and -30 dBFS: 10 log10((0.01 + 0.001) / 2) = -22.6
                assertEquals(-22.6, level.get("rms_dbfs").asDouble(), 1e-9);
                assertEquals(-3.0, level.get("peak_dbfs").asDouble(), 1e-9);
                assertEquals(0.512, level.get("seconds").asDouble(), 1e-9);
                assertEquals(Records.T0_MICROS, level.get("start_time_us").asLong());
                assertEquals(1, ha.on("earshot/yard/level").size());
                JsonNode cfg = JsonSerde.MAPPER.readTree(ha.last("homeassistant/sensor/earshot_yard/level/config"));
                assertEquals("earshot/yard/level", cfg.get("state_topic").asText());
                assertEquals("dBFS", cfg.get("unit_of_measurement").asText());
                assertEquals("{{ value_json.rms_dbfs }}", cfg.get("value_template").asText());
                assertEquals(2, cfg.get("expire_after").asInt());
                assertEquals("earshot_yard", cfg.get("device").get("identifiers").get(0).asText());
            }
        }
    }

    @Test
    void aCooldownKeepsARepeatedLabelQuiet() throws Exception {
        Topics topics = createTopics("mq3.");
        produce(topics,
                Records.start("door", "Dog", 0, 0.9), Records.end("door", "Dog", 0, 16_000, 0.9),
                // 5 s after the OFF: within Dog's 30 s cooldown
                Records.start("door", "Dog", 96_000, 0.9), Records.end("door", "Dog", 96_000, 112_000, 0.9),
                // 40 s after the first OFF: notified again
                Records.start("door", "Dog", 656_000, 0.9), Records.end("door", "Dog", 656_000, 672_000, 0.9),
                // Speech has no cooldown
                Records.start("door", "Speech", 0, 0.9), Records.end("door", "Speech", 0, 16_000, 0.9),
                Records.start("door", "Speech", 32_000, 0.9), Records.end("door", "Speech", 32_000, 48_000, 0.9));
        try (EmbeddedMqttBroker mqtt = EmbeddedMqttBroker.startTemporary();
             Watcher ha = new Watcher(mqtt.uri());
             MetricsEndpoint metrics = MetricsEndpoint.withoutHttp("sink")) {
            MqttConfig m = MqttConfig.forServer(mqtt.uri(), "bridge-3")
                    .withCooldowns(MqttCooldowns.parse(List.of("Dog=30")));
            SinkConfig config = new SinkConfig(clientProps(), topics, "mqtt-3", false, null, null, null, false, m);
            try (SinkService sink = SinkService.start(config, quiet(), metrics.registry())) {
                assertTrue(sink.awaitCaughtUp(WAIT));
                ha.await("speech", w -> w.on("earshot/door/Speech/state").size() == 4);
                ha.await("dog", w -> w.on("earshot/door/Dog/state").size() == 4);
                assertEquals(List.of("ON", "OFF", "ON", "OFF"), ha.on("earshot/door/Dog/state").stream()
                        .map(Received::payload).toList());
                List<String> onsets = new ArrayList<>();
                for (Received r : ha.on("earshot/door/Dog/event")) {
                    onsets.add(JsonSerde.MAPPER.readTree(r.payload()).get("onset_sample").asText());
                }
                assertEquals(List.of("0", "0", "656000", "656000"), onsets, "the event inside the cooldown is not sent");
                assertEquals(2.0, PrometheusScrape.parse(metrics.scrape())
                        .value("earshot_sink_mqtt_suppressed_total", Map.of("label", "Dog")).orElseThrow());
            }
        }
    }

    @Test
    void tlsWithUserAndPasswordFile() throws Exception {
        Path serverStore = dir.resolve("server.p12");
        Path trust = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "mqtt", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", serverStore.toString(),
                "-storetype", "PKCS12", "-storepass", "server-secret");
        Path cert = dir.resolve("server.crt");
        keytool("-exportcert", "-rfc", "-alias", "mqtt", "-keystore", serverStore.toString(), "-storepass",
                "server-secret", "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "mqtt", "-file", cert.toString(), "-keystore", trust.toString(),
                "-storetype", "PKCS12", "-storepass", "trust-secret");
        Path trustPw = Files.writeString(dir.resolve("trust.pw"), "trust-secret\n");
        Path pw = Files.writeString(dir.resolve("mqtt.pw"), "s3cret\n");
        Path wrongPw = Files.writeString(dir.resolve("wrong.pw"), "guess\n");

        Topics topics = createTopics("mq4.");
        produce(topics, Records.start("gate", "Alarm", 0, 0.95));
        EmbeddedMqttBroker.Options o = EmbeddedMqttBroker.Options.loopback().withUser("earshot", "s3cret")
                .withTls(serverStore, "server-secret", 0);
        try (EmbeddedMqttBroker mqtt = EmbeddedMqttBroker.start(o);
             MetricsEndpoint metrics = MetricsEndpoint.withoutHttp("sink")) {
            MqttConnectOptions watcherOptions = new MqttConnectOptions();
            watcherOptions.setUserName("earshot");
            watcherOptions.setPassword("s3cret".toCharArray());
            try (Watcher ha = new Watcher(mqtt.uri(), watcherOptions)) {
                MqttConfig m = MqttConfig.forServer(mqtt.tlsUri(), "bridge-4").withUser("earshot", pw)
                        .withTrustStore(trust, trustPw);
                SinkConfig config = new SinkConfig(clientProps(), topics, "mqtt-4", false, null, null, null, false, m);
                try (SinkService sink = SinkService.start(config, quiet(), metrics.registry())) {
                    assertTrue(sink.awaitCaughtUp(WAIT));
                    ha.await("alarm over TLS", w -> "ON".equals(w.last("earshot/gate/Alarm/state")));
                }

                // The PEM certificate works as a trust store too.
                MqttConfig pem = MqttConfig.forServer(mqtt.tlsUri(), "bridge-4b").withUser("earshot", pw)
                        .withTrustStore(cert, null);
                new MqttPublisher(pem, new MqttTopics("pem/", null), new MqttMetrics(metrics.registry())).close();
            }

            // A wrong password stops the sink at start with the broker's address in the message.
            MqttConfig bad = MqttConfig.forServer(mqtt.tlsUri(), "bridge-5").withUser("earshot", wrongPw)
                    .withTrustStore(trust, trustPw);
            IOException e = assertThrows(IOException.class, () -> SinkService.start(
                    new SinkConfig(clientProps(), topics, "mqtt-5", false, null, null, null, false, bad), quiet(),
                    metrics.registry()));
            assertTrue(e.getMessage().contains(mqtt.tlsUri()), e.getMessage());
            // Without the trust store the server's self-signed certificate is refused.
            MqttConfig untrusted = MqttConfig.forServer(mqtt.tlsUri(), "bridge-6").withUser("earshot", pw);
            IOException e2 = assertThrows(IOException.class, () -> new MqttPublisher(untrusted,
                    new MqttTopics("x/", null), new MqttMetrics(metrics.registry())));
            assertFalse(e2.getMessage().isBlank());
        }
    }

    private static void awaitPublished(ConcurrentLinkedQueue<EmbeddedMqttBroker.Published> arrived, String topic,
                                       String payload) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (arrived.stream().noneMatch(p -> p.topic().equals(topic) && (payload == null || p.text().equals(payload)))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the bridge never published " + payload + " on " + topic + "; got "
                        + arrived.stream().map(p -> p.topic() + "=" + p.text()).toList());
            }
            Thread.sleep(50);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + out);
    }
}
