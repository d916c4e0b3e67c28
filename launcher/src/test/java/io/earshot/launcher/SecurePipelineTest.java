package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.broker.EmbeddedKafkaBroker;
import io.earshot.broker.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * ingest -> detect -> sink through {@code earshot broker} with SASL_SSL, SCRAM-SHA-512 users and ACLs: each
 * service logs in as its own user and may touch only its topics, group and transactional ids. A wrong
 * password and a missing ACL end a command with one line and write nothing; no password reaches any log.
 */
class SecurePipelineTest {

    private static final String AUDIO = "earshot.audio";

    @TempDir
    Path dir;

    private final Map<String, String> passwords = new LinkedHashMap<>();
    private PrintStream originalErr;
    private PrintStream originalOut;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    /** Everything written to stdout and stderr (slf4j-simple logs there) is kept to be searched for passwords. */
    @BeforeEach
    void captureLogs() {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(originalOut, captured), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLogs() {
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    @Test
    @Timeout(600)
    void servicesRunAsTheirOwnUsersAndIntrudersGetOneLineAndNothingElse() throws Exception {
        Path model = Path.of(System.getProperty("earshot.repo.root", "..")).resolve("models/earshot-sed-v1.onnx");
        Path audioDir = Path.of(System.getProperty("earshot.repo.root", "..")).resolve("demo/audio");
        Assumptions.assumeTrue(Files.isRegularFile(model), "model not exported yet");
        TestTls tls = TestTls.create(dir.resolve("tls"));
        passwords.put("keystore", tls.keystorePassword());
        passwords.put("truststore", tls.truststorePassword());
        for (String user : List.of("ingest", "detect", "sink", "intruder")) {
            passwords.put(user, user + "-" + UUID.randomUUID());
        }
        StringBuilder users = new StringBuilder();
        for (String user : List.of("ingest", "detect", "sink", "intruder")) {
            users.append(user).append('=').append(passwords.get(user)).append('\n');
        }
        Path usersFile = write("users.properties", users.toString());
        Path acls = Path.of(System.getProperty("earshot.repo.root", "..")).resolve("docs/security-acls.txt");
        Path ksPass = write("keystore.password", tls.keystorePassword() + "\n");
        Path tsPass = write("truststore.password", tls.truststorePassword() + "\n");

        CommandLine brokerCli = Main.commandLine(ConfigSources.environment(Map.of()));
        StringWriter brokerOut = new StringWriter();
        brokerCli.setOut(new PrintWriter(brokerOut, true));
        brokerCli.setErr(new PrintWriter(brokerOut, true));
        BrokerCommand brokerCommand = brokerCli.getSubcommands().get("broker").getCommand();
        CompletableFuture<Integer> brokerExit = CompletableFuture.supplyAsync(() -> brokerCli.execute("broker",
                "--port", "0", "--data-dir", dir.resolve("broker").toString(),
                "--keystore", tls.keystore().toString(), "--keystore-password-file", ksPass.toString(),
                "--truststore", tls.truststore().toString(), "--truststore-password-file", tsPass.toString(),
                "--scram-users", usersFile.toString(), "--acls", acls.toString()));
        EmbeddedKafkaBroker broker = brokerCommand.started().get(120, TimeUnit.SECONDS);
        String bootstrap = broker.bootstrapServers();
        try {
            // Three ways to keep a password off the command line: in the --config file, in a file the config
            // file points to (Kafka's FileConfigProvider), in the environment.
            Path ingestConfig = clientConfig("ingest", tls, passwords.get("ingest"));
            Path detectSecret = write("detect-secret.properties", "password=" + passwords.get("detect") + "\n");
            Path detectConfig = write("detect.properties", common(tls)
                    + "config.providers=file\n"
                    + "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n"
                    + jaas("detect", "${file:" + detectSecret + ":password}"));
            Path sinkConfig = write("sink.properties", common(tls));
            Map<String, String> sinkEnv = Map.of("EARSHOT_KAFKA_SASL_JAAS_CONFIG",
                    jaasValue("sink", passwords.get("sink")));

            // A wrong password, then a user without ACLs: one line each, nothing written.
            Path wrong = clientConfig("ingest-wrong", tls, "not-the-password", "ingest");
            MainTest.Result badLogin = MainTest.run("ingest", "replay", audioDir.resolve("test_00000.wav").toString(),
                    "--max-speed", "--config", wrong.toString(), "--bootstrap-server", bootstrap);
            assertOneLineFailure(badLogin, "uthentication");
            Path intruder = clientConfig("intruder", tls, passwords.get("intruder"));
            MainTest.Result noAcl = MainTest.run("ingest", "replay", audioDir.resolve("test_00000.wav").toString(),
                    "--max-speed", "--config", intruder.toString(), "--bootstrap-server", bootstrap);
            assertOneLineFailure(noAcl, "uthoriz");
            MainTest.Result sinkIntruder = MainTest.run("sink", "--config", intruder.toString(), "--bootstrap-server",
                    bootstrap, "--jsonl", dir.resolve("intruder.jsonl").toString(), "--drain", "--drain-timeout", "60");
            assertOneLineFailure(sinkIntruder, "uthoriz");
            assertFalse(Files.exists(dir.resolve("intruder.jsonl")) && Files.size(dir.resolve("intruder.jsonl")) > 0,
                    "the intruder's sink wrote nothing");
            MainTest.Result detectIntruder = MainTest.run("detect", "--config", intruder.toString(), "--bootstrap-server",
                    bootstrap, "--model", model.toString(), "--state-dir", dir.resolve("state-x").toString());
            assertOneLineFailure(detectIntruder, "uthoriz");

            // The pipeline, each service as its own user.
            String[] detectArgs = {"detect", "--config", detectConfig.toString(), "--bootstrap-server", bootstrap,
                    "--model", model.toString(), "--state-dir", dir.resolve("state").toString()};
            CommandLine detectCli = Main.commandLine(ConfigSources.of(detectArgs, Map.of()));
            StringWriter detectErr = new StringWriter();
            detectCli.setOut(new PrintWriter(detectErr, true));
            detectCli.setErr(new PrintWriter(detectErr, true));
            DetectCommand detect = detectCli.getSubcommands().get("detect").getCommand();
            CompletableFuture<Integer> detectExit = CompletableFuture.supplyAsync(() -> detectCli.execute(detectArgs));
            Properties detectKafka = new Properties();
            detectKafka.putAll(tls.clientProperties(bootstrap, "detect", passwords.get("detect")));
            awaitTopic(detectKafka, AUDIO, detectExit, detectErr);
            assertEquals(0L, endOffset(detectKafka), "the failed runs wrote no audio");

            List<String> files = List.of("test_00000.wav", "test_00001.wav");
            List<String> replayArgs = new ArrayList<>(List.of("ingest", "replay"));
            files.forEach(f -> replayArgs.add(audioDir.resolve(f).toString()));
            replayArgs.addAll(List.of("--max-speed", "--config", ingestConfig.toString(), "--bootstrap-server", bootstrap));
            MainTest.Result replay = MainTest.run(replayArgs.toArray(String[]::new));
            assertEquals(0, replay.exitCode(), replay.err());
            awaitDetectorCaughtUp(detectKafka, detectExit, detectErr);

            Path jsonl = dir.resolve("events.jsonl");
            Path tsv = dir.resolve("events.tsv");
            MainTest.Result sink = MainTest.run(sinkEnv, "sink", "--config", sinkConfig.toString(), "--bootstrap-server",
                    bootstrap, "--jsonl", jsonl.toString(), "--tsv", tsv.toString(), "--drain", "--drain-timeout", "120");
            assertEquals(0, sink.exitCode(), sink.err());
            List<String> events = Files.readAllLines(jsonl);
            assertFalse(events.isEmpty(), "events reached the sink");
            long starts = events.stream().filter(l -> l.contains("\"state\":\"START\"")).count();
            long ends = events.stream().filter(l -> l.contains("\"state\":\"END\"")).count();
            assertEquals(starts, ends, "every event closed (the streams ended)");
            for (String file : files) {
                assertTrue(events.stream().anyMatch(l -> l.contains("\"source_id\":\"" + file + "\"")), file + " in " + events);
            }
            assertTrue(Files.readAllLines(tsv).size() > 1, "TSV rows");

            // A wrong password for the sink as well: one line, nothing written.
            Path wrongSinkOut = dir.resolve("wrong-sink.jsonl");
            MainTest.Result wrongSink = MainTest.run(Map.of("EARSHOT_KAFKA_SASL_JAAS_CONFIG", jaasValue("sink", "guess")),
                    "sink", "--config", sinkConfig.toString(), "--bootstrap-server", bootstrap,
                    "--jsonl", wrongSinkOut.toString(), "--drain", "--drain-timeout", "60");
            assertOneLineFailure(wrongSink, "uthentication");
            assertFalse(Files.exists(wrongSinkOut) && Files.size(wrongSinkOut) > 0, "nothing written by a sink that cannot log in");

            detect.stop();
            assertEquals(0, detectExit.get(60, TimeUnit.SECONDS), detectErr.toString());
            String all = captured.toString(StandardCharsets.UTF_8) + brokerOut + detectErr + replay.out() + replay.err()
                    + sink.out() + sink.err() + badLogin.err() + noAcl.err() + sinkIntruder.err() + detectIntruder.err()
                    + wrongSink.err();
            assertTrue(all.length() > 1000, "logs were captured: " + all.length() + " chars");
            // The detector's energy reports log in as detect too (their producer keeps the config providers).
            assertFalse(all.contains("not delivered to earshot.energy"), "energy reports delivered");
            for (Map.Entry<String, String> p : passwords.entrySet()) {
                assertFalse(all.contains(p.getValue()), "the " + p.getKey() + " password appears in the logs");
            }
        } finally {
            brokerCommand.stop();
            brokerExit.get(60, TimeUnit.SECONDS);
        }
    }

    private static void assertOneLineFailure(MainTest.Result r, String expected) {
        assertTrue(r.exitCode() != 0, "the command failed: " + r.err());
        // Status lines printed at start-up may come first; the failure is one line, the last.
        List<String> lines = r.err().strip().lines().toList();
        List<String> errors = lines.stream().filter(l -> l.startsWith("earshot ")).toList();
        assertEquals(1, errors.size(), "one error line on stderr: " + r.err());
        assertEquals(errors.get(0), lines.get(lines.size() - 1), r.err());
        assertTrue(errors.get(0).contains(expected), errors.get(0));
        System.out.println("refused as expected: " + errors.get(0));
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    private Path clientConfig(String name, TestTls tls, String password) throws Exception {
        return clientConfig(name, tls, password, name);
    }

    private Path clientConfig(String name, TestTls tls, String password, String user) throws Exception {
        return write(name + ".properties", common(tls) + jaas(user, password));
    }

    private static String common(TestTls tls) {
        return "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                + "ssl.truststore.location=" + tls.truststore() + "\nssl.truststore.password=" + tls.truststorePassword() + "\n";
    }

    private static String jaas(String user, String password) {
        return "sasl.jaas.config=" + jaasValue(user, password) + "\n";
    }

    private static String jaasValue(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static void awaitTopic(Properties kafka, String topic, CompletableFuture<Integer> detectExit,
                                   StringWriter detectErr) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                assertFalse(detectExit.isDone(), "the detector ended: " + detectErr);
                assertTrue(System.nanoTime() < deadline, "the detector created no topics: " + detectErr);
                Thread.sleep(200);
            }
        }
    }

    private static long endOffset(Properties kafka) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            int partitions = admin.describeTopics(List.of(AUDIO)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(AUDIO).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(AUDIO, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(o -> o.offset()).sum();
        }
    }

    /** The detector's group has committed the end of the audio topic: every event is committed. */
    private static void awaitDetectorCaughtUp(Properties kafka, CompletableFuture<Integer> detectExit,
                                              StringWriter detectErr) throws Exception {
        long end = endOffset(kafka);
        try (Admin admin = Admin.create(kafka)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("earshot-detector")
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                long sum = committed.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
                if (sum >= end) {
                    return;
                }
                assertFalse(detectExit.isDone(), "the detector ended: " + detectErr);
                assertTrue(System.nanoTime() < deadline, "the detector did not catch up: " + sum + " of " + end);
                Thread.sleep(200);
            }
        }
    }

    /** Writes to the original stream and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
