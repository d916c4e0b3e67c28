package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.protocol.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class KafkaOptionsTest {

    /** A command shaped like the real ones: both mixins plus an option of its own. */
    @Command(name = "probe")
    static final class ProbeCommand implements Runnable {
        @Mixin
        KafkaOptions kafka;
        @Mixin
        CommonOptions common;
        @Option(names = "--chunk-ms", defaultValue = "100")
        int chunkMs;

        @Override
        public void run() {
        }
    }

    @TempDir
    Path dir;

    private ProbeCommand parse(Map<String, String> env, String... args) {
        ProbeCommand probe = new ProbeCommand();
        Main.commandLine(probe, ConfigSources.of(args, env)).parseArgs(args);
        return probe;
    }

    private Path configFile(String content) throws IOException {
        Path file = dir.resolve("earshot.properties");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void defaultsWithoutAnyConfiguration() {
        ProbeCommand probe = parse(Map.of());
        Properties props = probe.kafka.kafkaProperties();
        assertEquals(Map.of("bootstrap.servers", "localhost:9092"), props);
        assertEquals(Topics.defaults(), probe.kafka.topics());
        assertEquals(100, probe.chunkMs);
        assertFalse(probe.common.verbose());
        assertTrue(probe.common.metricsPort().isEmpty());
    }

    @Test
    void metricsBindChoosesTheAddressTheEndpointListensOn() throws Exception {
        try (io.earshot.telemetry.MetricsEndpoint local = parse(Map.of(), "--metrics-port", "0", "--metrics-bind", "127.0.0.1")
                .common.startMetrics("probe")) {
            assertEquals("127.0.0.1", local.uri().getHost());
            assertTrue(new String(local.uri().toURL().openStream().readAllBytes()).contains("service=\"probe\""));
        }
        // The default listens on every interface: the same port answers on loopback too.
        try (io.earshot.telemetry.MetricsEndpoint all = parse(Map.of(), "--metrics-port", "0").common.startMetrics("probe")) {
            assertTrue(all.serving());
            assertEquals("127.0.0.1", all.uri().getHost());
        }
        try (io.earshot.telemetry.MetricsEndpoint off = parse(Map.of("EARSHOT_METRICS_BIND", "127.0.0.1")).common.startMetrics("probe")) {
            assertFalse(off.serving(), "no port, no server, whatever the address");
        }
        java.io.UncheckedIOException bad = assertThrows(java.io.UncheckedIOException.class,
                () -> parse(Map.of(), "--metrics-port", "0", "--metrics-bind", "192.0.2.1").common.startMetrics("probe"));
        assertTrue(bad.getMessage().contains("192.0.2.1"), bad.getMessage());
    }

    @Test
    void kafkaPassthroughAndBootstrapFlag() {
        ProbeCommand probe = parse(Map.of(), "--bootstrap-server", "k1:9093,k2:9093",
                "--kafka", "security.protocol=SASL_SSL", "--kafka", "sasl.mechanism=PLAIN");
        Properties props = probe.kafka.kafkaProperties();
        assertEquals("k1:9093,k2:9093", props.getProperty("bootstrap.servers"));
        assertEquals("SASL_SSL", props.getProperty("security.protocol"));
        assertEquals("PLAIN", props.getProperty("sasl.mechanism"));
        assertEquals("k1:9093,k2:9093", probe.kafka.bootstrapServers());
    }

    @Test
    void bootstrapFlagWinsOverAKafkaPassthroughOfTheSameProperty() {
        ProbeCommand probe = parse(Map.of(), "--kafka", "bootstrap.servers=a:1", "--bootstrap-server", "b:2");
        assertEquals("b:2", probe.kafka.bootstrapServers());
    }

    @Test
    void topicPrefixRenamesEveryTopic() {
        Topics topics = parse(Map.of(), "--topic-prefix", "lab1.").kafka.topics();
        assertEquals("lab1.audio", topics.audio());
        assertEquals("lab1.audio.dlq", topics.audioDlq());
        assertEquals("lab1.events", topics.events());
        assertEquals("lab1.scores", topics.scores());
        assertEquals("lab1.energy", topics.energy());
    }

    @Test
    void propertiesFileThenEnvironmentThenFlags() throws IOException {
        Path file = configFile("""
                bootstrap.servers=from-file:9092
                security.protocol=SSL
                client.id=file-client
                linger.ms=5
                earshot.topic-prefix=file.
                earshot.chunk-ms=40
                earshot.metrics-port=9400
                """);
        Map<String, String> env = Map.of(
                "EARSHOT_BOOTSTRAP_SERVER", "from-env:9092",
                "EARSHOT_KAFKA_CLIENT_ID", "env-client",
                "EARSHOT_KAFKA_LINGER_MS", "7",
                "EARSHOT_TOPIC_PREFIX", "env.",
                "EARSHOT_CHUNK_MS", "50");

        ProbeCommand fileOnly = parse(Map.of(), "--config", file.toString());
        assertEquals("from-file:9092", fileOnly.kafka.bootstrapServers());
        assertEquals("SSL", fileOnly.kafka.kafkaProperties().getProperty("security.protocol"));
        assertEquals("file.audio", fileOnly.kafka.topics().audio());
        assertEquals(40, fileOnly.chunkMs);
        assertEquals(9400, fileOnly.common.metricsPort().getAsInt());
        assertNull(fileOnly.kafka.kafkaProperties().getProperty("earshot.chunk-ms"),
                "earshot.* keys are options, not Kafka properties");

        ProbeCommand fileAndEnv = parse(env, "--config=" + file);
        Properties props = fileAndEnv.kafka.kafkaProperties();
        assertEquals("from-env:9092", props.getProperty("bootstrap.servers"));
        assertEquals("env-client", props.getProperty("client.id"));
        assertEquals("7", props.getProperty("linger.ms"));
        assertEquals("SSL", props.getProperty("security.protocol"), "the file still supplies what env does not");
        assertEquals("env.audio", fileAndEnv.kafka.topics().audio());
        assertEquals(50, fileAndEnv.chunkMs);

        ProbeCommand all = parse(env, "--config", file.toString(), "--bootstrap-server", "from-flag:9092",
                "--kafka", "client.id=flag-client", "--topic-prefix", "flag.", "--chunk-ms", "60");
        Properties flagged = all.kafka.kafkaProperties();
        assertEquals("from-flag:9092", flagged.getProperty("bootstrap.servers"));
        assertEquals("flag-client", flagged.getProperty("client.id"));
        assertEquals("7", flagged.getProperty("linger.ms"));
        assertEquals("flag.audio", all.kafka.topics().audio());
        assertEquals(60, all.chunkMs);
    }

    @Test
    void configFileFromTheEnvironment() throws IOException {
        Path file = configFile("bootstrap.servers=via-env-config:9092\n");
        ProbeCommand probe = parse(Map.of("EARSHOT_CONFIG", file.toString()));
        assertEquals("via-env-config:9092", probe.kafka.bootstrapServers());
    }

    @Test
    void aMissingConfigFileIsAConfigurationErrorNamingIt() {
        Path missing = dir.resolve("nope.properties");
        ConfigSources.ConfigException e = assertThrows(ConfigSources.ConfigException.class,
                () -> ConfigSources.of(new String[] {"--config", missing.toString()}, Map.of()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void verboseFromEnvironment() {
        assertTrue(parse(Map.of("EARSHOT_VERBOSE", "true")).common.verbose());
        assertTrue(Main.verboseRequested(new String[0], ConfigSources.environment(Map.of("EARSHOT_VERBOSE", "true"))));
        assertTrue(Main.verboseRequested(new String[] {"detect", "-v"}, ConfigSources.environment(Map.of())));
        assertFalse(Main.verboseRequested(new String[] {"detect", "--", "-v"}, ConfigSources.environment(Map.of())));
    }

    @Test
    void aBadValueFromTheEnvironmentIsReportedLikeABadFlag() {
        ProbeCommand probe = new ProbeCommand();
        CommandLine cli = Main.commandLine(probe, ConfigSources.environment(Map.of("EARSHOT_CHUNK_MS", "fast")));
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, cli::parseArgs);
        assertTrue(e.getMessage().contains("fast"), e.getMessage());
    }
}
