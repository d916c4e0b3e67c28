package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.broker.EmbeddedMqttBroker;
import io.earshot.launcher.demo.DemoConfig;
import io.earshot.protocol.EventIds;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code earshot sink --mqtt} and {@code earshot demo --mqtt} against real Kafka and MQTT brokers. */
class MqttCommandTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    private static SoundEvent event(String source, String label, SoundEvent.State state, long onset, Long offset) {
        long t0 = 1_795_000_000_000_000L;
        return new SoundEvent(EventIds.of(source, "s1", label, onset), source, "s1", label, state, onset, offset, 16_000,
                onset / 16_000.0, offset == null ? null : offset / 16_000.0, t0 + onset * 1_000_000L / 16_000,
                offset == null ? null : t0 + offset * 1_000_000L / 16_000, 0.8, "earshot-sed", "1");
    }

    @Test
    void theSinkCommandBridgesEventsToMqtt() throws Exception {
        ConcurrentLinkedQueue<EmbeddedMqttBroker.Published> seen = new ConcurrentLinkedQueue<>();
        try (EmbeddedMqttBroker mqtt = EmbeddedMqttBroker.start(EmbeddedMqttBroker.Options.loopback()
                     .withUser("ha", "pw-1"), seen::add)) {
            Properties p = KAFKA.clientProperties();
            try (KafkaProducer<String, byte[]> producer =
                         new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                for (SoundEvent e : List.of(event("porch", "Bird", SoundEvent.State.START, 0, null),
                        event("porch", "Bird", SoundEvent.State.END, 0, 32_000L),
                        event("porch", "Speech", SoundEvent.State.START, 16_000, null))) {
                    producer.send(new ProducerRecord<>("m.events", e.sourceId(), JsonSerde.soundEvents().toBytes(e))).get();
                }
            }
            Path pw = Files.writeString(dir.resolve("pw"), "pw-1\n");
            MainTest.Result r = MainTest.run(Map.of("EARSHOT_MQTT_USER", "ha"), "sink", "--bootstrap-server",
                    KAFKA.bootstrapServers(), "--topic-prefix", "m.", "--mqtt", mqtt.uri(), "--mqtt-password-file",
                    pw.toString(), "--mqtt-topic-prefix", "home/earshot", "--mqtt-discovery-prefix", "ha",
                    "--mqtt-cooldown", "60,Speech=5", "--drain", "--drain-timeout", "60");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.err().contains("publishing to MQTT " + mqtt.uri()), r.err());
            List<String> states = seen.stream().filter(m -> m.topic().endsWith("/state"))
                    .map(m -> m.topic() + "=" + m.text()).toList();
            assertTrue(states.containsAll(List.of("home/earshot/porch/Bird/state=ON", "home/earshot/porch/Bird/state=OFF",
                    "home/earshot/porch/Speech/state=ON")), states.toString());
            JsonNode cfg = JsonSerde.MAPPER.readTree(seen.stream()
                    .filter(m -> m.topic().equals("ha/binary_sensor/earshot_porch/Bird/config")).findFirst()
                    .orElseThrow().payload());
            assertEquals("home/earshot/availability", cfg.get("availability_topic").asText());
            assertTrue(seen.stream().allMatch(m -> m.clientId().equals("earshot-earshot-sink")), "default client id");
        }
    }

    @Test
    void mqttOptionsAreCheckedBeforeAnythingStarts() {
        MainTest.Result noUri = MainTest.run(Map.of(), "sink", "--bootstrap-server", "127.0.0.1:1", "--console",
                "--mqtt-user", "x");
        assertEquals(2, noUri.exitCode(), noUri.err());
        assertTrue(noUri.err().contains("--mqtt"), noUri.err());
        MainTest.Result badUri = MainTest.run(Map.of(), "sink", "--bootstrap-server", "127.0.0.1:1", "--mqtt",
                "localhost:1883");
        assertEquals(2, badUri.exitCode(), badUri.err());
        assertTrue(badUri.err().contains("localhost:1883") && badUri.err().contains("tcp://"), badUri.err());
        MainTest.Result badCooldown = MainTest.run(Map.of(), "sink", "--bootstrap-server", "127.0.0.1:1", "--mqtt",
                "tcp://127.0.0.1:1", "--mqtt-cooldown", "Dog=later");
        assertEquals(2, badCooldown.exitCode(), badCooldown.err());
        assertTrue(badCooldown.err().contains("Dog=later"), badCooldown.err());
        MainTest.Result unreachable = MainTest.run(Map.of(), "sink", "--bootstrap-server", "127.0.0.1:1", "--mqtt",
                "tcp://127.0.0.1:1");
        assertEquals(1, unreachable.exitCode(), unreachable.err());
        assertTrue(unreachable.err().contains("cannot connect to the MQTT broker tcp://127.0.0.1:1"), unreachable.err());
    }

    @Test
    void demoMqttDefaultsToTheEmbeddedBroker() {
        CommandLine cli = Main.commandLine(ConfigSources.environment(Map.of()));
        cli.parseArgs("demo", "--mqtt");
        DemoConfig embedded = ((DemoCommand) cli.getSubcommands().get("demo").getCommand()).config();
        assertEquals("", embedded.mqtt());
        cli = Main.commandLine(ConfigSources.environment(Map.of()));
        cli.parseArgs("demo", "--mqtt", "tcp://10.0.0.2:1883");
        assertEquals("tcp://10.0.0.2:1883", ((DemoCommand) cli.getSubcommands().get("demo").getCommand()).config().mqtt());
        cli = Main.commandLine(ConfigSources.environment(Map.of()));
        cli.parseArgs("demo");
        assertNull(((DemoCommand) cli.getSubcommands().get("demo").getCommand()).config().mqtt());
    }

    @Test
    void theDemoPublishesEveryDetectedEventOverMqtt() throws Exception {
        ConcurrentLinkedQueue<EmbeddedMqttBroker.Published> seen = new ConcurrentLinkedQueue<>();
        Path work = Files.createDirectories(dir.resolve("work"));
        // Five of the demo's soundscapes keep this second demo run short.
        Path repo = Path.of(System.getProperty("earshot.repo.root", "..")).toAbsolutePath().normalize();
        Path audio = Files.createDirectories(dir.resolve("audio"));
        List<String> files = List.of("test_00000.wav", "test_00001.wav", "test_00002.wav", "test_00003.wav",
                "test_00004.wav");
        for (String f : files) {
            Files.copy(repo.resolve("demo/audio").resolve(f), audio.resolve(f));
        }
        Path gt = Files.write(dir.resolve("gt.tsv"), Files.readAllLines(repo.resolve("demo/ground_truth.tsv")).stream()
                .filter(l -> l.startsWith("filename") || files.contains(l.split("\t")[0])).toList());
        Path durations = Files.write(dir.resolve("durations.tsv"), Files.readAllLines(repo.resolve("demo/durations.tsv"))
                .stream().filter(l -> l.startsWith("filename") || files.contains(l.split("\t")[0])).toList());
        try (EmbeddedMqttBroker mqtt = EmbeddedMqttBroker.start(EmbeddedMqttBroker.Options.loopback(), seen::add)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new String[] {"demo", "--no-events", "--keep-data", "--work-dir", work.toString(),
                    "--audio", audio.toString(), "--ground-truth", gt.toString(), "--durations", durations.toString(),
                    "--mqtt", mqtt.uri()}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
            assertEquals(0, code, err.toString());
            assertTrue(out.toString().contains("MQTT: publishing to " + mqtt.uri()), out.toString());
        }
        Path tsv;
        try (Stream<Path> walk = Files.walk(work)) {
            tsv = walk.filter(f -> f.getFileName().toString().equals("events.tsv")).findFirst().orElseThrow();
        }
        long closed = Files.readAllLines(tsv).size() - 1;
        assertTrue(closed >= 5, "the demo detects events: " + closed);
        long endMessages = seen.stream().filter(m -> m.topic().endsWith("/event") && m.text().contains("\"state\":\"end\""))
                .count();
        assertEquals(closed, endMessages, "one MQTT end message per closed event");
        long offs = seen.stream().filter(m -> m.topic().endsWith("/state") && m.text().equals("OFF")).count();
        assertTrue(offs > 0 && offs <= closed, "OFF states: " + offs);
        assertTrue(seen.stream().anyMatch(m -> m.topic().startsWith("homeassistant/binary_sensor/earshot_")));
    }
}
