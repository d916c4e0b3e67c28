package io.earshot.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.detector.DetectorConfig;
import io.earshot.detector.DetectorService;
import io.earshot.dsp.wav.WavReader;
import io.earshot.evaluation.io.DcaseFileNames;
import io.earshot.ingest.StreamSequencer;
import io.earshot.ingest.replay.ReplayConfig;
import io.earshot.ingest.replay.ReplayJob;
import io.earshot.launcher.Main;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkSerde;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.Topics;
import io.earshot.sink.SinkConfig;
import io.earshot.sink.SinkService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second stream of a source loses nothing, on the real broker with the real detector and model: the
 * same WAV replayed twice under one source id, and a microphone whose backlog overflowed mid-way (its
 * agent ends the stream and starts a new one, sample index 0 again, as MicCapture does after lost audio).
 * Every output keeps every row of both streams, each stream under its own DCASE file name, and
 * {@code earshot eval} reads them.
 */
class StreamAwareSinkEndToEndTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Path REPO = Path.of(System.getProperty("earshot.repo.root", "..")).toAbsolutePath().normalize();
    private static final String APP = "stream-aware-detector";
    private static final String REPLAYED = "test_00000.wav";
    private static final String MIC = "kitchen-mic";

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void aReplayedFileAndANewMicStreamKeepEveryRowOfBothStreams() throws Exception {
        Path model = REPO.resolve("models/earshot-sed-v1.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(model), "model not exported yet");
        Properties kafka = KAFKA.clientProperties();
        Topics topics = Topics.defaults();
        Path tsv = dir.resolve("out/events.tsv");
        Path jsonl = dir.resolve("out/events.jsonl");
        Path scores = dir.resolve("out/scores");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DetectorConfig detectorConfig = DetectorConfig.builder(kafka).model(model).topics(topics).applicationId(APP)
                .stateDir(dir.resolve("state")).emitScores(true).build();
        SinkConfig sinkConfig = SinkConfig.forBootstrap(KAFKA.bootstrapServers()).withTopics(topics)
                .withTsv(tsv).withJsonl(jsonl).withScoresDir(scores);
        try (DetectorService detector = DetectorService.start(detectorConfig, registry);
             SinkService sink = SinkService.start(sinkConfig, new PrintWriter(new StringWriter()), registry)) {
            assertTrue(detector.awaitRunning(Duration.ofSeconds(120)), "detector running");
            Path wav = REPO.resolve("demo/audio").resolve(REPLAYED);
            for (int run = 0; run < 2; run++) { // one after the other, as an operator would replay it again
                ReplayJob job = new ReplayJob(ReplayConfig.of(List.of(wav)).withPacing(io.earshot.ingest.replay.Pacing.maxSpeed()),
                        kafka, topics, registry);
                assertEquals(1, job.run().sources().size());
            }
            micWithOverflow(kafka, topics, REPO.resolve("demo/audio/test_00001.wav"), 5.0);
            DetectorCatchUp.await(kafka, APP, topics.audio(), Duration.ofMinutes(5), detector::isAlive);
            assertTrue(sink.awaitCaughtUp(Duration.ofMinutes(2)), "sink caught up");
        }

        // The stream ids, in the order the streams came, from the JSON Lines output.
        Map<String, List<String>> streams = new TreeMap<>();
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode n = JsonSerde.MAPPER.readTree(line);
            records.add(n);
            streams.computeIfAbsent(n.get("source_id").asText(), s -> new ArrayList<>());
            List<String> ids = streams.get(n.get("source_id").asText());
            if (!ids.contains(n.get("stream_id").asText())) {
                ids.add(n.get("stream_id").asText());
            }
        }
        assertEquals(2, streams.get(REPLAYED).size(), "two streams of " + REPLAYED + ": " + streams);
        assertEquals(2, streams.get(MIC).size(), "two streams of " + MIC + ": " + streams);
        String replayedAgain = DcaseFileNames.recording(REPLAYED, streams.get(REPLAYED).get(1), false);
        String micAfterOverflow = DcaseFileNames.recording(MIC, streams.get(MIC).get(1), false);

        // TSV: the replayed file's two streams hold the same events, each under its own name.
        Map<String, List<String>> rows = new TreeMap<>();
        for (String line : Files.readAllLines(tsv).subList(1, Files.readAllLines(tsv).size())) {
            String[] cells = line.split("\t");
            rows.computeIfAbsent(cells[0], f -> new ArrayList<>()).add(cells[1] + "\t" + cells[2] + "\t" + cells[3]);
        }
        assertTrue(rows.keySet().containsAll(List.of(REPLAYED, replayedAgain))
                && java.util.Set.of(REPLAYED, replayedAgain, MIC, micAfterOverflow).containsAll(rows.keySet()), rows.keySet().toString());
        assertFalse(rows.get(REPLAYED).isEmpty());
        assertEquals(sorted(rows.get(REPLAYED)), sorted(rows.get(replayedAgain)), "the same audio, the same events");
        assertEquals(new LinkedHashSet<>(rows.get(REPLAYED)).size(), rows.get(REPLAYED).size(), "no row twice");
        assertTrue(rows.containsKey(MIC) || rows.containsKey(micAfterOverflow), "the microphone's events: " + rows.keySet());
        long ends = records.stream().filter(n -> n.get("state").asText().equals("end")).count();
        assertEquals(ends, rows.values().stream().mapToInt(List::size).sum(), "every end record is a TSV row");

        // Score tables: one per stream, complete from the first frame, the replay's two identical.
        for (String name : List.of(REPLAYED, replayedAgain, MIC, micAfterOverflow)) {
            List<String> table = Files.readAllLines(scores.resolve(DcaseFileNames.scoreTableFile(name)));
            assertTrue(table.get(1).startsWith("0.024000\t0.088000\t"), name + ": " + table.get(1));
        }
        assertEquals(Files.readAllLines(scores.resolve(DcaseFileNames.scoreTableFile(REPLAYED))),
                Files.readAllLines(scores.resolve(DcaseFileNames.scoreTableFile(replayedAgain))));
        assertEquals(0, registry.find("earshot.sink.output.skipped").counters().stream()
                .mapToDouble(c -> c.count()).sum(), "nothing skipped");

        // earshot eval reads both outputs, the second replay being a file of its own.
        Path gt = dir.resolve("gt.tsv");
        Path durations = dir.resolve("durations.tsv");
        List<String> gtLines = new ArrayList<>(List.of("filename\tonset\toffset\tevent_label"));
        for (String line : Files.readAllLines(REPO.resolve("demo/ground_truth.tsv"))) {
            if (line.startsWith(REPLAYED + "\t")) {
                gtLines.add(line);
                gtLines.add(replayedAgain + line.substring(REPLAYED.length()));
            }
        }
        Files.write(gt, gtLines);
        Files.write(durations, List.of("filename\tduration", REPLAYED + "\t10.0", replayedAgain + "\t10.0"));
        Path onlyReplayed = dir.resolve("replayed.tsv");
        List<String> keep = new ArrayList<>(List.of("filename\tonset\toffset\tevent_label"));
        rows.forEach((name, r) -> {
            if (name.equals(REPLAYED) || name.equals(replayedAgain)) {
                r.forEach(x -> keep.add(name + "\t" + x));
            }
        });
        Files.write(onlyReplayed, keep);
        Path replayedScores = Files.createDirectories(dir.resolve("replayed-scores"));
        for (String name : List.of(REPLAYED, replayedAgain)) {
            Files.copy(scores.resolve(DcaseFileNames.scoreTableFile(name)), replayedScores.resolve(DcaseFileNames.scoreTableFile(name)));
        }
        String classes = "--classes=" + String.join(",", io.earshot.detector.model.ManifestReader.read(
                REPO.resolve("models/earshot-sed-v1.json")).labels());
        for (String[] input : List.of(new String[] {"--detections", onlyReplayed.toString()},
                new String[] {"--scores", replayedScores.toString()})) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new String[] {"eval", "--ground-truth", gt.toString(), "--durations", durations.toString(),
                    classes, input[0], input[1], "--json"}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
            assertEquals(0, code, err.toString());
            assertEquals(2, JsonSerde.MAPPER.readTree(out.toString()).at("/files").asInt(), out.toString());
        }
    }

    /** A microphone's audio as its agent publishes it when the backlog overflowed at {@code cutSeconds}. */
    private static void micWithOverflow(Properties kafka, Topics topics, Path wav, double cutSeconds) throws Exception {
        float[] audio = WavReader.readMono(wav);
        int rate = 16_000;
        int cut = (int) (cutSeconds * rate);
        int chunk = rate / 10;
        long t0 = 1_795_000_000_000_000L;
        try (KafkaProducer<String, AudioChunk> producer = new KafkaProducer<>(kafka, new StringSerializer(),
                AudioChunkSerde.chunkSerializer())) {
            StreamSequencer first = new StreamSequencer("20261203T090000Z-0000000a", rate, t0);
            for (int i = 0; i < cut; i += chunk) {
                producer.send(new ProducerRecord<>(topics.audio(), MIC, first.next(audio, i, Math.min(chunk, cut - i))));
            }
            producer.send(new ProducerRecord<>(topics.audio(), MIC, first.end()));
            // 1 s was lost; the rest is a new stream whose sample 0 is the first sample after the gap.
            int resume = cut + rate;
            StreamSequencer second = new StreamSequencer("20261203T090008Z-0000000b", rate, t0 + resume * 1_000_000L / rate);
            for (int i = resume; i < audio.length; i += chunk) {
                producer.send(new ProducerRecord<>(topics.audio(), MIC, second.next(audio, i, Math.min(chunk, audio.length - i))));
            }
            producer.send(new ProducerRecord<>(topics.audio(), MIC, second.end()));
            producer.flush();
        }
    }

    private static List<String> sorted(List<String> rows) {
        return rows.stream().sorted().toList();
    }
}
