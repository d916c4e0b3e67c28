package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.earshot.broker.EmbeddedKafkaBroker;
import io.earshot.detector.DetectorConfig;
import io.earshot.detector.DetectorService;
import io.earshot.dsp.wav.WavReader;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkSerde;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on the real broker, each compared with an uninterrupted run of the same audio on the same broker:
 * <ul>
 * <li>{@code earshot detect} (a separate JVM) killed with SIGKILL mid-stream and started again;</li>
 * <li>{@code earshot broker} (a separate JVM) killed with SIGKILL mid-stream, left down for 10 s and started
 * again on its data, under a running detector.</li>
 * </ul>
 * The event records must equal the uninterrupted run's exactly (the same multiset of (event id, state) with
 * identical contents): none lost, none doubled. The audio goes in as 8 demo files of 10 s (808 records): the
 * first two before the detector starts, the rest trickled in at about 60 records a second from the moment the
 * detector has committed its first input, so the fault always lands while audio still arrives.
 *
 * <p>Every detector here runs with an idle timeout of 60 s instead of 5 s. The idle check does not count
 * silence while the detector's consumers complete no fetch (ConsumerFetchContact), but the audio producer
 * may reconnect up to 10 s after the broker is back (its reconnect backoff), and a source silent for longer
 * than the idle time after the broker's return has its open
 * segment closed by design, which the uninterrupted run would not do. The logs of the separate JVMs are kept
 * under {@code launcher/target/faults/}.
 */
class FaultsTest {

    private static final int RATE = 16000;
    /** Demo files replayed (10 s each, 101 records with the end of stream). */
    private static final int FILES = 8;
    /** Files published before the detector starts; the rest is trickled in. */
    private static final int HEAD_FILES = 2;
    private static final long TRICKLE_PAUSE_MS = 16;
    private static final String IDLE_TIMEOUT_S = "60";
    private static final Path REPO = Path.of(System.getProperty("earshot.repo.root", ".."));

    @TempDir
    Path dir;

    private Path model;
    private Path logs;
    /** The in-process detector under test, if any: waiting for it ends as soon as it has stopped by itself. */
    private DetectorService inProcess;

    @BeforeEach
    void needsTheModel(TestInfo test) throws IOException {
        model = REPO.resolve("models/earshot-sed-v1.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(model), "model not exported yet");
        logs = Path.of("target", "faults", test.getTestMethod().orElseThrow().getName());
        Files.createDirectories(logs);
    }

    @Test
    @Timeout(420)
    void aDetectorKilledMidStreamAndRestartedGivesEveryEventOnce() throws Exception {
        long t0 = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            Properties kafka = kafka(broker.bootstrapServers());
            List<AudioChunk> audio = audio();
            List<SoundEvent> reference = referenceRun(kafka, audio);

            publish(kafka, "kill.audio", audio.subList(0, HEAD_FILES * chunksPerFile(audio)), 0);
            List<String> detect = List.of("detect", "--bootstrap-server", broker.bootstrapServers(), "--topic-prefix", "kill.",
                    "--application-id", "kill-test", "--state-dir", dir.resolve("state").toString(),
                    "--model", model.toString(), "--energy-interval-s", "0", "--idle-timeout-s", IDLE_TIMEOUT_S,
                    // Static membership: the restarted detector takes the partitions over at once instead of
                    // after the killed member's session timeout (45 s).
                    "--kafka", "group.instance.id=kill-test-1");
            Process first = earshot(detect, "detect-1");
            Trickle trickle;
            long done;
            long killed;
            try {
                awaitCommitted(kafka, "kill-test", 1, first, "detect-1");
                trickle = Trickle.start(kafka, "kill.audio", audio.subList(HEAD_FILES * chunksPerFile(audio), audio.size()));
                awaitCommitted(kafka, "kill-test", chunksPerFile(audio), first, "detect-1");
                awaitOutputAfterCommit(kafka, "kill.events");
            } finally {
                first.destroyForcibly(); // SIGKILL: no close, no commit, state and transaction left as they are
                first.waitFor(30, TimeUnit.SECONDS);
                killed = System.nanoTime();
            }
            done = committedNow(kafka, "kill-test");
            long written = endOffset(kafka, "kill.events");
            boolean stillPublishing = trickle.isAlive();
            assertTrue(done < audio.size(), "killed mid-stream: " + done + " of " + audio.size() + " audio records committed");

            Process second = earshot(detect, "detect-2");
            try {
                long resumed = awaitCommitted(kafka, "kill-test", done + 1, second, "detect-2").nanos();
                trickle.await();
                awaitCommitted(kafka, "kill-test", endOffset(kafka, "kill.audio"), second, "detect-2");
                List<SoundEvent> events = readEvents(kafka, "kill.events", reference.size(), 3);
                System.out.printf(Locale.ROOT, "detector kill -9 after %d of %d audio records committed (audio still "
                                + "arriving: %s; events topic end offset %d, uncommitted records and markers included); "
                                + "the restarted JVM committed new input %.1f s after the kill; %d event records, "
                                + "reference %d; test %.0f s%n", done, audio.size(), stillPublishing, written,
                        (resumed - killed) / 1e9, events.size(), reference.size(), (System.nanoTime() - t0) / 1e9);
                assertSameEvents(reference, events);
            } finally {
                second.destroy();
                second.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Timeout(420)
    void aBrokerKilledMidStreamAndRestartedGivesEveryEventOnce() throws Exception {
        long t0 = System.nanoTime();
        int port = freePort();
        List<String> brokerArgs = List.of("broker", "--port", String.valueOf(port), "--data-dir", dir.resolve("broker").toString());
        Process broker = earshot(brokerArgs, "broker-1");
        String bootstrap = "127.0.0.1:" + port;
        try {
            awaitLine("broker-1", "Kafka broker listening", broker);
            Properties kafka = kafka(bootstrap);
            List<AudioChunk> audio = audio();
            List<SoundEvent> reference = referenceRun(kafka, audio);

            publish(kafka, "br.audio", audio.subList(0, HEAD_FILES * chunksPerFile(audio)), 0);
            DetectorConfig config = DetectorConfig.builder(kafka).model(model).topics(Topics.withPrefix("br."))
                    .applicationId("broker-test").stateDir(dir.resolve("state-br"))
                    .idleTimeout(Duration.ofSeconds(Long.parseLong(IDLE_TIMEOUT_S))).build();
            try (DetectorService detector = DetectorService.start(config, new SimpleMeterRegistry())) {
                inProcess = detector;
                awaitCommitted(kafka, "broker-test", 1, null, "broker-1");
                Trickle trickle = Trickle.start(kafka, "br.audio", audio.subList(HEAD_FILES * chunksPerFile(audio), audio.size()));
                awaitCommitted(kafka, "broker-test", chunksPerFile(audio), null, "broker-1");
                awaitOutputAfterCommit(kafka, "br.events");
                long done = committedNow(kafka, "broker-test");
                long written = endOffset(kafka, "br.events");
                broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                long down = System.nanoTime();
                boolean stillPublishing = trickle.isAlive();
                assertTrue(done < audio.size(), "the broker was killed mid-stream: " + done + " of " + audio.size());
                Thread.sleep(10_000);
                broker = earshot(brokerArgs, "broker-2");
                awaitLine("broker-2", "Kafka broker listening", broker);
                long up = System.nanoTime();
                // The detector may have committed after the last look before the kill: what it had committed
                // when the broker went is what the restarted broker reports first.
                long atKill = awaitCommitted(kafka, "broker-test", 0, null, "broker-2").committed();
                assertTrue(atKill < audio.size(), "the broker was killed mid-stream: " + atKill + " of " + audio.size());
                long resumed = awaitCommitted(kafka, "broker-test", atKill + 1, null, "broker-2").nanos();
                trickle.await();
                awaitCommitted(kafka, "broker-test", endOffset(kafka, "br.audio"), null, "broker-2");
                assertNull(detector.failure(), "the detector kept running");
                List<SoundEvent> events = readEvents(kafka, "br.events", reference.size(), 3);
                System.out.printf(Locale.ROOT, "broker kill -9 after %d of %d audio records committed (%d seen just "
                                + "before the kill; audio still arriving: %s; events topic end offset %d); broker away "
                                + "%.1f s (10 s down + restart); the detector committed new input %.1f s after the broker "
                                + "was back; %d event records, reference %d; test %.0f s%n", atKill, audio.size(), done,
                        stillPublishing, written, (up - down) / 1e9, (resumed - up) / 1e9, events.size(),
                        reference.size(), (System.nanoTime() - t0) / 1e9);
                assertSameEvents(reference, events);
            }
        } finally {
            broker.destroy();
            broker.waitFor(60, TimeUnit.SECONDS);
        }
    }

    // ---- audio ----

    /**
     * The demo files as chunks of 0.1 s, each file its own source and stream, ending with an end of stream.
     * Capture times (and so record timestamps) are now: audio stamped older than the topic's retention (7 days
     * by default) is deleted by the broker's first retention check, 30 s after its start, under a running
     * detector, which then finds its next offset gone and skips to the end of the topic.
     */
    private static List<AudioChunk> audio() throws IOException {
        long now = System.currentTimeMillis() * 1000;
        List<AudioChunk> all = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            float[] samples = WavReader.readMono(REPO.resolve("demo/audio").resolve(source(f)));
            String stream = "fault-stream-" + f;
            long zero = now + f * 20_000_000L;
            int pos = 0;
            long seq = 0;
            while (pos < samples.length) {
                int n = Math.min(RATE / 10, samples.length - pos);
                all.add(AudioChunk.ofMonoPcm16(stream, seq++, pos, zero + pos * 1_000_000L / RATE, RATE, samples, pos, n));
                pos += n;
            }
            all.add(AudioChunk.endOfStream(stream, seq, pos, zero + pos * 1_000_000L / RATE, RATE));
        }
        return all;
    }

    private static String source(int file) {
        return String.format(Locale.ROOT, "test_%05d.wav", file);
    }

    private static int chunksPerFile(List<AudioChunk> audio) {
        assertEquals(0, audio.size() % FILES, "every demo file gives the same number of chunks");
        return audio.size() / FILES;
    }

    private static String sourceOf(AudioChunk chunk) {
        return source(Integer.parseInt(chunk.streamId().substring("fault-stream-".length())));
    }

    /** Sends the chunks (keyed by source) in order, {@code pauseMillis} between records. */
    private static void publish(Properties kafka, String topic, List<AudioChunk> chunks, long pauseMillis) {
        Properties p = new Properties();
        p.putAll(kafka);
        io.earshot.protocol.KafkaClientDefaults.applyTo(p); // reconnects like Earshot's own producers
        p.put("delivery.timeout.ms", "300000"); // rides out the broker's outage
        p.put("linger.ms", "0");
        try (KafkaProducer<String, AudioChunk> producer = new KafkaProducer<>(p, new StringSerializer(),
                AudioChunkSerde.chunkSerializer())) {
            for (AudioChunk c : chunks) {
                producer.send(new ProducerRecord<>(topic, null, c.captureTimeMillis(), sourceOf(c), c));
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A thread that publishes the rest of the audio while the fault happens. */
    private record Trickle(Thread thread, AtomicReference<Throwable> failure) {

        static Trickle start(Properties kafka, String topic, List<AudioChunk> chunks) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = new Thread(() -> publish(kafka, topic, chunks, TRICKLE_PAUSE_MS), "trickle-" + topic);
            t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
            t.start();
            return new Trickle(t, failure);
        }

        boolean isAlive() {
            return thread.isAlive();
        }

        void await() throws InterruptedException {
            thread.join(180_000);
            assertTrue(!thread.isAlive(), "the trickle finished");
            assertNull(failure.get(), "the trickle published everything");
        }
    }

    // ---- runs ----

    /**
     * The uninterrupted run: the same audio, all of it at once, through an in-process detector with the same
     * settings on the same broker, read once the detector has committed all audio and its output is complete.
     */
    private List<SoundEvent> referenceRun(Properties kafka, List<AudioChunk> audio) throws Exception {
        publish(kafka, "ref.audio", audio, 0);
        DetectorConfig config = DetectorConfig.builder(kafka).model(model).topics(Topics.withPrefix("ref."))
                .applicationId("reference").stateDir(dir.resolve("state-ref"))
                .idleTimeout(Duration.ofSeconds(Long.parseLong(IDLE_TIMEOUT_S))).build();
        long t0 = System.nanoTime();
        List<SoundEvent> events;
        try (DetectorService detector = DetectorService.start(config, new SimpleMeterRegistry())) {
            awaitCommitted(kafka, "reference", audio.size(), null, null);
            events = readEvents(kafka, "ref.events", 1, 5);
            assertNull(detector.failure(), "the reference detector kept running");
        }
        System.out.printf(Locale.ROOT, "reference run: %d audio records, %d event records in %.1f s%n", audio.size(),
                events.size(), (System.nanoTime() - t0) / 1e9);
        assertTrue(events.size() > 20, "the reference run detected events: " + events.size());
        assertNoDuplicates(events, "reference");
        return events;
    }

    /** {@code earshot ARGS} in a separate JVM, its output (both streams) in {@code target/faults/<test>/NAME.log}. */
    private Process earshot(List<String> args, String name) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.KafkaStreams=info",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.TransactionManager=info",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile())).start();
    }

    private String tail(String name) {
        if (name == null) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(logs.resolve(name + ".log"));
            return "\n--- last lines of " + logs.resolve(name + ".log") + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "\n(no log " + name + ": " + e + ")";
        }
    }

    private void awaitLine(String name, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Path file = logs.resolve(name + ".log");
        while (!Files.exists(file) || !Files.readString(file).contains(text)) {
            assertTrue(process.isAlive(), "the process ended" + tail(name));
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' within 120 s" + tail(name));
            Thread.sleep(100);
        }
    }

    // ---- Kafka ----

    private static Properties kafka(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long endOffset(Properties kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            return endOffset(admin, topic);
        }
    }

    private static long endOffset(Admin admin, String topic) throws Exception {
        {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    /** Sum of the group's committed offsets on its audio input; -1 when they cannot be read (broker away). */
    private static long committed(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().endsWith("audio") && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long committedNow(Properties kafka, String group) {
        try (Admin admin = Admin.create(kafka)) {
            return committed(admin, group);
        }
    }

    /**
     * Waits until the detector has written 3 more records to its output topic (uncommitted ones count: the
     * end offset) than it had when called, so that the fault lands after output written since the last
     * commit that was seen, not right after a commit; gives up waiting after 60 s.
     */
    private static void awaitOutputAfterCommit(Properties kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            long base = endOffset(admin, topic);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (endOffset(admin, topic) < base + 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
    }

    /** A group's committed audio offsets (summed) and when they were seen. */
    private record Progress(long committed, long nanos) {
    }

    /** Waits until the group has committed at least {@code atLeast} audio records (4 minutes at most). */
    private Progress awaitCommitted(Properties kafka, String group, long atLeast, Process process, String log)
            throws Exception {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put("default.api.timeout.ms", "5000");
        p.put("request.timeout.ms", "4000");
        try (Admin admin = Admin.create(p)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            long last = -1;
            while (true) {
                long c = committed(admin, group);
                last = Math.max(last, c);
                if (c >= atLeast) {
                    return new Progress(c, System.nanoTime());
                }
                if (process != null && !process.isAlive()) {
                    fail("the detector process ended" + tail(log));
                }
                if (inProcess != null && inProcess.failure() != null) {
                    throw new AssertionError("the detector stopped: " + inProcess.failure() + tail(log),
                            inProcess.failure());
                }
                if (System.nanoTime() > deadline) {
                    fail(group + " committed " + last + " audio records, not " + atLeast + ", within 240 s" + tail(log));
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * Every committed event record of a topic (read_committed), once there are at least {@code atLeast}, every
     * START has its END and nothing more came for {@code quietSeconds}.
     */
    private static List<SoundEvent> readEvents(Properties kafka, String topic, int atLeast, int quietSeconds) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put("group.id", "faults-reader-" + topic + "-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        List<SoundEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                int before = events.size();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    events.add(JsonSerde.soundEvents().fromBytes(r.value()));
                }
                if (events.size() != before) {
                    quietSince = System.nanoTime();
                } else if (events.size() >= atLeast && allEnded(events)
                        && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(quietSeconds)) {
                    break;
                }
            }
        }
        return events;
    }

    private static boolean allEnded(List<SoundEvent> events) {
        Map<String, Integer> open = new HashMap<>();
        for (SoundEvent e : events) {
            open.merge(e.eventId(), e.state() == SoundEvent.State.START ? 1 : -1, Integer::sum);
        }
        return open.values().stream().allMatch(v -> v == 0);
    }

    private static Map<String, Integer> counts(List<SoundEvent> events) {
        Map<String, Integer> counts = new TreeMap<>();
        for (SoundEvent e : events) {
            counts.merge(e.eventId() + "/" + e.state(), 1, Integer::sum);
        }
        return counts;
    }

    private static void assertNoDuplicates(List<SoundEvent> events, String what) {
        List<String> twice = counts(events).entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue()).toList();
        assertTrue(twice.isEmpty(), what + ": event records more than once: " + twice);
    }

    /** The same event records, each exactly once (order across sources may differ). */
    private static void assertSameEvents(List<SoundEvent> reference, List<SoundEvent> events) {
        Map<String, Integer> want = counts(reference);
        Map<String, Integer> got = counts(events);
        List<String> lost = want.keySet().stream().filter(k -> !got.containsKey(k)).toList();
        List<String> extra = got.keySet().stream().filter(k -> !want.containsKey(k)).toList();
        assertTrue(lost.isEmpty() && extra.isEmpty(), "lost " + lost + ", not in the reference " + extra);
        assertNoDuplicates(events, "after the fault");
        Comparator<SoundEvent> order = Comparator.comparing(SoundEvent::eventId).thenComparing(e -> e.state().name());
        assertEquals(reference.stream().sorted(order).toList(), events.stream().sorted(order).toList(),
                "every event record identical to the reference's");
    }
}
