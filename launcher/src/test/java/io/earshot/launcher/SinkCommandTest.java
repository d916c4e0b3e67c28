package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.protocol.EventIds;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code earshot sink} end to end on the in-process broker. */
class SinkCommandTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    private static SoundEvent end(String source, String label, long onset, long offset) {
        long t0 = 1_795_000_000_000_000L;
        return new SoundEvent(EventIds.of(source, "s1", label, onset), source, "s1", label, SoundEvent.State.END, onset,
                offset, 16_000, onset / 16_000.0, offset / 16_000.0, t0 + onset * 1_000_000L / 16_000,
                t0 + offset * 1_000_000L / 16_000, 0.8, "earshot-sed", "1");
    }

    @Test
    void drainsTheEventsTopicIntoATsvAndTheConsole() throws Exception {
        Topics topics = Topics.withPrefix("cmd.");
        Properties p = KAFKA.clientProperties();
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (SoundEvent e : List.of(end("a.wav", "Dog", 16_000, 32_000), end("b.wav", "Speech", 0, 8_000))) {
                producer.send(new ProducerRecord<>(topics.events(), e.sourceId(), JsonSerde.soundEvents().toBytes(e)))
                        .get();
            }
        }
        Path tsv = dir.resolve("events.tsv");
        MainTest.Result r = MainTest.run(Map.of(), "sink", "--bootstrap-server", KAFKA.bootstrapServers(),
                "--topic-prefix", "cmd.", "--console", "--tsv", tsv.toString(), "--drain", "--drain-timeout", "60");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("filename\tonset\toffset\tevent_label", "a.wav\t1.000000\t2.000000\tDog",
                "b.wav\t0.000000\t0.500000\tSpeech"), Files.readAllLines(tsv).stream().sorted(
                        (x, y) -> x.startsWith("filename") ? -1 : y.startsWith("filename") ? 1 : x.compareTo(y)).toList());
        assertEquals(2, r.out().lines().filter(l -> l.contains("  END  ")).count(), r.out());
    }

    /** Frames [first, first + n) of one source, scores 0.9 for the labels active at the frame centre. */
    private static io.earshot.protocol.FrameScores scores(String source, long first, int n, List<String> labels,
                                                          java.util.function.BiPredicate<String, Double> active) {
        List<float[]> rows = new java.util.ArrayList<>();
        for (long f = first; f < first + n; f++) {
            double centre = (384 + 1024 * f + 512) / 16_000.0;
            float[] row = new float[labels.size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = active.test(labels.get(c), centre) ? 0.9f : 0.05f;
            }
            rows.add(row);
        }
        return new io.earshot.protocol.FrameScores(source, "s1", 16_000, first, 384 + 1024 * first, 1024,
                1_795_000_000_000_000L, labels, rows, "earshot-sed", "1");
    }

    @Test
    void whatTheSinkWritesIsWhatEarshotEvalReads() throws Exception {
        Topics topics = Topics.withPrefix("eval.");
        Properties p = KAFKA.clientProperties();
        List<String> labels = List.of("Dog", "Speech");
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (SoundEvent e : List.of(end("a.wav", "Dog", 16_000, 32_000), end("b.wav", "Speech", 0, 8_000))) {
                producer.send(new ProducerRecord<>(topics.events(), e.sourceId(), JsonSerde.soundEvents().toBytes(e)));
            }
            // a.wav: 2 s = 31 frames of 64 ms from 0.024 s, in two blocks; b.wav: 1 s = 15 frames
            for (var block : List.of(
                    scores("a.wav", 0, 16, labels, (l, t) -> l.equals("Dog") && t >= 1.0 && t < 2.0),
                    scores("a.wav", 16, 15, labels, (l, t) -> l.equals("Dog") && t >= 1.0 && t < 2.0),
                    scores("b.wav", 0, 15, labels, (l, t) -> l.equals("Speech") && t < 0.5))) {
                producer.send(new ProducerRecord<>(topics.scores(), block.sourceId(),
                        JsonSerde.frameScores().toBytes(block)));
            }
            producer.flush();
        }
        Path tsv = dir.resolve("events.tsv");
        Path scoresDir = dir.resolve("scores");
        MainTest.Result sink = MainTest.run(Map.of(), "sink", "--bootstrap-server", KAFKA.bootstrapServers(),
                "--topic-prefix", "eval.", "--tsv", tsv.toString(), "--scores-dir", scoresDir.toString(), "--drain");
        assertEquals(0, sink.exitCode(), sink.err());

        Path gt = dir.resolve("gt.tsv");
        Files.writeString(gt, "filename\tonset\toffset\tevent_label\na.wav\t1.0\t2.0\tDog\nb.wav\t0.0\t0.5\tSpeech\n");
        Path durations = dir.resolve("durations.tsv");
        Files.writeString(durations, "filename\tduration\na.wav\t2.0\nb.wav\t1.0\n");
        MainTest.Result detections = MainTest.run(Map.of(), "eval", "--ground-truth", gt.toString(), "--durations",
                durations.toString(), "--detections", tsv.toString(), "--json");
        assertEquals(0, detections.exitCode(), detections.err());
        MainTest.Result scored = MainTest.run(Map.of(), "eval", "--ground-truth", gt.toString(), "--durations",
                durations.toString(), "--scores", scoresDir.toString(), "--json");
        assertEquals(0, scored.exitCode(), scored.err());
        // the sink's TSV and score tables are exactly the reference: perfect scores both ways
        var det = JsonSerde.MAPPER.readTree(detections.out());
        assertEquals(1.0, det.at("/event_based/micro/f1").asDouble(), det.toString());
        assertEquals(2, det.at("/files").asInt());
        var sc = JsonSerde.MAPPER.readTree(scored.out());
        assertEquals(1.0, sc.at("/psds2/value").asDouble(), sc.toString());
        assertEquals("scores", sc.at("/psds2/source").asText());
    }

    @Test
    void aSinkWithNoOutputIsAUsageError() {
        MainTest.Result r = MainTest.run(Map.of(), "sink", "--bootstrap-server", "127.0.0.1:1");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--console") && r.err().contains("--scores-dir"), r.err());
    }
}
