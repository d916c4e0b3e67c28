package io.earshot.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkSerde;
import io.earshot.protocol.EnergyReport;
import io.earshot.telemetry.EnergyConfig;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On the real in-process broker: a detector stopped mid-stream and restarted (with an empty state
 * directory, so its state comes back from the changelogs) publishes exactly the events of a detector
 * that ran without interruption: none lost, none duplicated. And a source that falls silent without
 * end of stream has its open events closed on the wall clock, then goes on when it comes back.
 */
class DetectorServiceRestartTest {

    private static final List<String> SOURCES = List.of("mic-1", "mic-2");
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireModel() {
        TestModels.requireModel();
    }

    private Properties kafka() {
        return KAFKA.clientProperties();
    }

    private DetectorService start(String appId, Topics topics, Path stateDir, Map<String, ThresholdOverride> thresholds)
            throws InterruptedException {
        return start(appId, topics, stateDir, thresholds, TestModels.modelPath());
    }

    private DetectorService start(String appId, Topics topics, Path stateDir, Map<String, ThresholdOverride> thresholds,
                                  Path modelPath) throws InterruptedException {
        DetectorConfig config = DetectorConfig.builder(kafka()).model(modelPath).topics(topics)
                .applicationId(appId).stateDir(stateDir).topicPartitions(2).thresholds(thresholds)
                // the test pauses the audio between the halves longer than the default idle time
                .idleTimeout(Duration.ofMinutes(10))
                .energy(EnergyConfig.defaults(appId).withReportInterval(Duration.ofSeconds(2))).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DetectorService service = DetectorService.start(config, registry);
        assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "detector " + appId + " running");
        // Kafka's client metrics (consumer lag among them) are exported with the detector's own.
        assertTrue(registry.getMeters().stream().anyMatch(m -> m.getId().getName().startsWith("kafka.consumer.fetch.manager")),
                "Kafka Streams consumer metrics bound to the registry");
        return service;
    }

    private static Topics topicsOf(String audioTopic, String prefix) {
        return new Topics(audioTopic, prefix + "audio.dlq", prefix + "events", prefix + "scores", prefix + "energy",
                prefix + "levels");
    }

    @ParameterizedTest
    @ValueSource(strings = {"windowed", "streaming"})
    void restartMidStreamGivesTheEventsOfAnUninterruptedRun(String kind) throws Exception {
        float[] audio = TestAudio.scene(31.3);
        boolean streaming = kind.equals("streaming");
        Path modelPath = streaming ? TestModels.streamingModelPath() : TestModels.modelPath();
        Map<String, ThresholdOverride> thresholds;
        long inferencesPerStream;
        try (io.earshot.detector.model.OnnxModel model = streaming ? TestModels.loadStreaming() : TestModels.load()) {
            thresholds = thresholdsOn(model, audio);
            long frames = (audio.length - 1024) / 256 + 1;
            if (streaming) {
                // ceil(F / 4) decision frames plus the look-ahead, in blocks
                var st = model.manifest().streaming();
                inferencesPerStream = ((frames + 3) / 4 + st.lookaheadFrames() + st.blockFrames() - 1) / st.blockFrames();
            } else {
                var g = DetectorService.settings(DetectorConfig.builder(new Properties()).model(modelPath).build(),
                        model.manifest()).geometry();
                long full = (frames - g.windowFrames()) / g.hopFrames() + 1;
                long covered = (full - 1) * g.hopFrames() + g.windowFrames();
                inferencesPerStream = full + (covered < frames ? 1 : 0);
            }
        }
        String audioTopic = kind + ".audio";
        Map<String, List<AudioChunk>> chunks = new HashMap<>();
        for (String s : SOURCES) {
            chunks.put(s, TestAudio.chunks("stream-" + s, audio, s.equals("mic-1") ? 1600 : 2500));
        }
        long lastFrame = ((audio.length - 1024) / 256) / 4;
        Topics restarted = topicsOf(audioTopic, kind + ".restarted.");
        Topics uninterrupted = topicsOf(audioTopic, kind + ".uninterrupted.");

        try (KafkaProducer<String, AudioChunk> producer = producer()) {
            // first half of every stream, then a detector that is stopped mid-stream
            send(producer, audioTopic, chunks, 0.0, 0.5);
            try (DetectorService first = start(kind + "-restarted", restarted, tmp.resolve("state-1"), thresholds, modelPath)) {
                List<ConsumerRecord<String, byte[]>> seen = readUntil(restarted.scores(),
                        records -> SOURCES.stream().allMatch(s -> records.stream().anyMatch(r -> r.key().equals(s))));
                assertFalse(seen.isEmpty());
                assertTrue(first.metrics().work().audioSeconds() > 0, "the first detector analysed audio before it stopped");
            }
            send(producer, audioTopic, chunks, 0.5, 1.0);
        }
        // a new state directory: the restarted detector must rebuild its state from the changelogs
        try (DetectorService again = start(kind + "-restarted", restarted, tmp.resolve("state-2"), thresholds, modelPath);
             DetectorService reference = start(kind + "-uninterrupted", uninterrupted, tmp.resolve("state-ref"), thresholds,
                     modelPath)) {
            Predicate<List<ConsumerRecord<String, byte[]>>> allFinal = records -> SOURCES.stream().allMatch(s ->
                    records.stream().filter(r -> r.key().equals(s)).map(r -> JsonSerde.frameScores().fromBytes(r.value()))
                            .anyMatch(b -> b.firstFrameIndex() + b.scores().size() - 1 == lastFrame));
            readUntil(restarted.scores(), allFinal);
            readUntil(uninterrupted.scores(), allFinal);
            assertTrue(again.metrics().work().audioSeconds() > 0 && reference.metrics().work().audioSeconds() > 0);
            List<SoundEvent> got = events(readAll(restarted.events()));
            List<SoundEvent> want = events(readAll(uninterrupted.events()));
            assertFalse(want.isEmpty(), "the scene should produce events");
            for (String s : SOURCES) {
                assertEquals(want.stream().filter(e -> e.sourceId().equals(s)).toList(),
                        got.stream().filter(e -> e.sourceId().equals(s)).toList(), "events of " + s);
            }
            assertScoresEqual(readAll(uninterrupted.scores()), readAll(restarted.scores()));
        }
        // the energy reports of the uninterrupted detector account for all the audio and windows it analysed
        double audioSeconds = 0;
        long inferences = 0;
        for (ConsumerRecord<String, byte[]> r : readAll(uninterrupted.energy())) {
            EnergyReport report = JsonSerde.energyReports().fromBytes(r.value());
            audioSeconds += report.audioSeconds();
            inferences += report.inferences();
        }
        assertEquals(2 * audio.length / 16000.0, audioSeconds, 0.01);
        assertEquals(2 * inferencesPerStream, inferences, streaming ? "every block of each stream once"
                : "the full windows and one end window per stream");
    }

    @ParameterizedTest
    @ValueSource(strings = {"windowed", "streaming"})
    void aSourceThatFallsSilentMidEventIsClosedAsIdleAndGoesOnWhenItComesBack(String kind) throws Exception {
        float[] audio = TestAudio.scene(31.3);
        boolean streaming = kind.equals("streaming");
        Path modelPath = streaming ? TestModels.streamingModelPath() : TestModels.modelPath();
        Map<String, ThresholdOverride> thresholds = thresholdsOn(streaming, audio);
        Topics topics = topicsOf(kind + ".idle.audio", kind + ".idle.");
        Duration idle = Duration.ofSeconds(2);
        DetectorConfig config = DetectorConfig.builder(kafka()).model(modelPath).topics(topics).applicationId(kind + "-idle")
                .stateDir(tmp.resolve("state")).topicPartitions(2).thresholds(thresholds).idleTimeout(idle).build();
        long lastFrame = ((audio.length - 1024) / 256) / 4;
        try (DetectorService detector = DetectorService.start(config, new SimpleMeterRegistry());
             KafkaProducer<String, AudioChunk> producer = producer()) {
            assertTrue(detector.awaitRunning(Duration.ofSeconds(60)), "detector running");
            // the whole scene on a reference source, to find an event to stop in the middle of
            for (AudioChunk c : TestAudio.chunks("stream-ref", audio, 1600)) {
                producer.send(new ProducerRecord<>(topics.audio(), "ref", c));
            }
            producer.flush();
            readUntil(topics.scores(), records -> records.stream().filter(r -> r.key().equals("ref"))
                    .map(r -> JsonSerde.frameScores().fromBytes(r.value()))
                    .anyMatch(b -> b.firstFrameIndex() + b.scores().size() - 1 == lastFrame));
            List<SoundEvent> reference = events(readAll(topics.events())).stream().filter(e -> e.sourceId().equals("ref"))
                    .toList();
            SoundEvent open = reference.stream().filter(e -> e.state() == SoundEvent.State.END
                            && e.onsetSample() > 2 * 16000 && e.offsetSample() < audio.length - 2 * 16000)
                    .max(java.util.Comparator.comparingLong(e -> e.offsetSample() - e.onsetSample()))
                    .orElseThrow(() -> new AssertionError("the scene should have an event away from its edges"));
            long cut = (open.onsetSample() + open.offsetSample()) / 2 / 1600 * 1600;

            // the same audio on another source, which falls silent in the middle of that event
            List<AudioChunk> chunks = TestAudio.chunks("stream-idle", audio, 1600);
            int k = 0;
            while (chunks.get(k).firstSampleIndex() < cut) {
                producer.send(new ProducerRecord<>(topics.audio(), "mic-idle", chunks.get(k++)));
            }
            producer.flush();
            long silentFrom = System.nanoTime();
            Predicate<SoundEvent> theOpenOne = e -> e.sourceId().equals("mic-idle") && e.state() == SoundEvent.State.END
                    && e.label().equals(open.label()) && e.onsetSample() == open.onsetSample();
            List<SoundEvent> paused = events(readUntil(topics.events(),
                    records -> events(records).stream().anyMatch(theOpenOne)));
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - silentFrom);
            SoundEvent closed = paused.stream().filter(theOpenOne).findFirst().orElseThrow();
            assertEquals(SoundEvent.EndReason.IDLE, closed.endReason(), closed.toString());
            assertTrue(closed.offsetSample() <= cut + 1024, "closed at the last analysed sample: " + closed);
            assertTrue(closedAfter.compareTo(idle) >= 0, "not before the idle time: " + closedAfter);
            List<SoundEvent> beforeCut = paused.stream().filter(e -> e.sourceId().equals("mic-idle")).toList();
            assertEveryStartHasOneEnd(beforeCut);
            // what the reference decided well before the cut (more than a window before it), the silent source
            // decided the same way
            for (SoundEvent e : reference) {
                if (e.state() == SoundEvent.State.END && e.offsetSample() < cut - 6 * 16000) {
                    assertTrue(beforeCut.stream().anyMatch(g -> g.state() == SoundEvent.State.END
                            && g.label().equals(e.label()) && g.onsetSample() == e.onsetSample()
                            && g.offsetSample().equals(e.offsetSample())), "event before the pause: " + e);
                }
            }

            // it comes back where it stopped (same stream, next sample) and ends normally
            while (k < chunks.size()) {
                producer.send(new ProducerRecord<>(topics.audio(), "mic-idle", chunks.get(k++)));
            }
            producer.flush();
            List<ConsumerRecord<String, byte[]>> scores = readUntil(topics.scores(), records -> records.stream()
                    .filter(r -> r.key().equals("mic-idle")).map(r -> JsonSerde.frameScores().fromBytes(r.value()))
                    .anyMatch(b -> b.firstFrameIndex() + b.scores().size() - 1 == lastFrame));
            List<SoundEvent> all = events(readAll(topics.events())).stream().filter(e -> e.sourceId().equals("mic-idle"))
                    .toList();
            assertEveryStartHasOneEnd(all);
            assertTrue(all.subList(beforeCut.size(), all.size()).stream().allMatch(e -> e.onsetSample() >= cut),
                    "events after the pause start after it: " + all.subList(beforeCut.size(), all.size()));
            assertTrue(all.stream().anyMatch(e -> e.endReason() == SoundEvent.EndReason.END_OF_STREAM
                    || e.state() == SoundEvent.State.END && e.onsetSample() >= cut), "the source went on after the pause");
            scoreMap(scores.stream().filter(r -> r.key().equals("mic-idle")).toList()); // no frame published twice
            System.out.printf("%s: open %s event closed as idle %.1f s after the source fell silent (idle time %d s)%n",
                    kind, open.label(), closedAfter.toMillis() / 1000.0, idle.toSeconds());
        }
    }

    /** Thresholds that make the test model (windowed or streaming) produce events on this audio. */
    private static Map<String, ThresholdOverride> thresholdsOn(boolean streaming, float[] audio) {
        try (io.earshot.detector.model.OnnxModel model = streaming ? TestModels.loadStreaming() : TestModels.load()) {
            return thresholdsOn(model, audio);
        }
    }

    private static Map<String, ThresholdOverride> thresholdsOn(io.earshot.detector.model.OnnxModel model, float[] audio) {
        return model.manifest().isStreaming() ? TestModels.percentileThresholds(model, audio)
                : TestModels.thresholdsFor(model, audio);
    }

    private static void assertEveryStartHasOneEnd(List<SoundEvent> events) {
        Map<String, Integer> starts = new HashMap<>();
        Map<String, Integer> ends = new HashMap<>();
        for (SoundEvent e : events) {
            (e.state() == SoundEvent.State.START ? starts : ends).merge(e.eventId(), 1, Integer::sum);
        }
        assertEquals(starts.keySet(), ends.keySet(), "every event started is ended");
        assertTrue(ends.values().stream().allMatch(n -> n == 1) && starts.values().stream().allMatch(n -> n == 1),
                "once each: " + starts + " " + ends);
    }

    @Test
    void restartWithASmallerHopOnAnOpenStreamStopsAtStartWithOneClearError() throws Exception {
        Topics topics = new Topics("hopchange.audio", "hopchange.audio.dlq", "hopchange.events", "hopchange.scores",
                "hopchange.energy", "hopchange.levels");
        List<AudioChunk> chunks = TestAudio.chunks("stream-hop", TestAudio.scene(31.3), 1600);
        try (KafkaProducer<String, AudioChunk> producer = producer()) {
            for (AudioChunk c : chunks.subList(0, chunks.size() / 2)) {          // the stream stays open
                producer.send(new ProducerRecord<>(topics.audio(), "mic-hop", c));
            }
            producer.flush();
        }
        DetectorConfig.Builder config = DetectorConfig.builder(kafka()).model(TestModels.modelPath()).topics(topics)
                .applicationId("hop-change").topicPartitions(1).idleTimeout(Duration.ofMinutes(10));
        try (DetectorService first = DetectorService.start(config.stateDir(tmp.resolve("state-1")).build(),
                new SimpleMeterRegistry())) {
            assertTrue(first.awaitRunning(Duration.ofSeconds(60)));
            readUntil(topics.scores(), records -> !records.isEmpty());
        }
        try (DetectorService smallerHop = DetectorService.start(config.stateDir(tmp.resolve("state-2")).hopSeconds(1.0)
                .build(), new SimpleMeterRegistry())) {
            assertFalse(smallerHop.awaitRunning(Duration.ofSeconds(60)), "the detector must not run on misread state");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (smallerHop.failure() == null && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Throwable failure = smallerHop.failure();
            assertTrue(failure instanceof io.earshot.detector.topology.IncompatibleStateException, String.valueOf(failure));
            String message = failure.getMessage();
            assertTrue(message.startsWith("source mic-hop has an open stream"), message);
            assertTrue(message.contains("hop=" + smallerHop.settings().geometry().hopFrames() + " "), message);
            assertTrue(message.contains("--application-id") && message.contains("hop-change"), message);
            assertFalse(message.contains("\n"), "one line");
        }
    }

    private static void assertScoresEqual(List<ConsumerRecord<String, byte[]>> want, List<ConsumerRecord<String, byte[]>> got) {
        Map<String, float[]> a = scoreMap(want);
        Map<String, float[]> b = scoreMap(got);
        assertEquals(a.keySet(), b.keySet(), "scored frames");
        for (Map.Entry<String, float[]> e : a.entrySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(e.getValue(), b.get(e.getKey()), 1e-6f, e.getKey());
        }
    }

    private static Map<String, float[]> scoreMap(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, float[]> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            FrameScores b = JsonSerde.frameScores().fromBytes(r.value());
            for (int k = 0; k < b.scores().size(); k++) {
                float[] previous = out.put(r.key() + "/" + (b.firstFrameIndex() + k), b.scores().get(k));
                assertEquals(null, previous, "frame published twice: " + r.key() + "/" + (b.firstFrameIndex() + k));
            }
        }
        return out;
    }

    private static List<SoundEvent> events(List<ConsumerRecord<String, byte[]>> records) {
        List<SoundEvent> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            out.add(JsonSerde.soundEvents().fromBytes(r.value()));
        }
        return out;
    }

    private KafkaProducer<String, AudioChunk> producer() {
        Properties p = kafka();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), AudioChunkSerde.chunkSerializer());
    }

    private static void send(KafkaProducer<String, AudioChunk> producer, String topic, Map<String, List<AudioChunk>> chunks,
                             double from, double to) {
        for (String s : SOURCES) {
            List<AudioChunk> list = chunks.get(s);
            for (int i = (int) (from * list.size()); i < (int) (to * list.size()); i++) {
                producer.send(new ProducerRecord<>(topic, s, list.get(i)));
            }
        }
        producer.flush();
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        return readUntil(topic, records -> true);
    }

    private static boolean reachedEnd(KafkaConsumer<String, byte[]> consumer, List<org.apache.kafka.common.TopicPartition> partitions) {
        Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(partitions);
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
    }

    /** Reads a topic from the start (read_committed) until the predicate holds over all records so far. */
    private List<ConsumerRecord<String, byte[]>> readUntil(String topic, Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        Properties p = kafka();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            // assigned, not subscribed: no consumer group to join, so each read starts at once
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                int before = records.size();
                consumer.poll(Duration.ofMillis(300)).forEach(records::add);
                // "done" must hold, nothing more may have arrived in the last poll, and the reader must have
                // reached the end of every partition (a first poll on a busy machine can return nothing)
                if (records.size() == before && done.test(records) && reachedEnd(consumer, partitions)) {
                    return records;
                }
            }
        }
        throw new AssertionError("timed out reading " + topic + " (" + records.size() + " records)");
    }
}
