package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.evaluation.io.DcaseFileNames;
import io.earshot.protocol.EventIds;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.TopicCreation;
import io.earshot.protocol.Topics;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code earshot sink} killed with SIGKILL (kill -9) twice while records stream in, in a real separate
 * JVM against the in-process broker, then restarted until drained: every output is complete and holds
 * nothing twice. Sources whose old score file names collided (room.1, room.2) and second streams of
 * each source are in the mix.
 */
class SinkKillTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final List<String> SOURCES = List.of("room.1", "room.2", "hall.wav");
    private static final List<String> STREAMS = List.of("20261203T080000Z-0000000a", "20261203T080500Z-0000000b");
    private static final List<String> LABELS = List.of("Speech", "Music", "Dog");
    private static final int EVENTS_PER_STREAM = 120;
    private static final int BLOCKS_PER_STREAM = 30;
    private static final int FRAMES_PER_BLOCK = 10;
    private static final int RATE = 16_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void killedTwiceMidStreamAndRestartedEveryOutputIsCompleteAndNothingIsDoubled() throws Exception {
        Topics topics = Topics.withPrefix("kill.");
        Properties kafka = KAFKA.clientProperties();
        TopicCreation.createMissing(kafka, Map.of(topics.events(), 2, topics.scores(), 2));
        Path jsonl = dir.resolve("out/events.jsonl");
        Path tsv = dir.resolve("out/events.tsv");
        Path scores = dir.resolve("out/scores");

        List<ProducerRecord<String, byte[]>> records = records(topics);
        int head = 100;
        publish(kafka, records.subList(0, head), 0);
        Thread producer = new Thread(() -> publish(kafka, records.subList(head, records.size()), 200), "trickle");
        try {
            // Kill the sink twice while records still arrive, once it has written a part of them.
            for (int lines : new int[] {150, 700}) {
                long started = System.nanoTime();
                Process sink = startSink(topics, jsonl, tsv, scores, false);
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    while (lineCount(jsonl) < lines && System.nanoTime() < deadline && sink.isAlive()) {
                        if (lineCount(jsonl) > 0 && producer.getState() == Thread.State.NEW) {
                            producer.start(); // the rest trickles in from now on, about 100 records a second
                        }
                        Thread.sleep(20);
                    }
                    assertTrue(sink.isAlive(), "sink died by itself: " + Files.readString(dir.resolve("sink.log")));
                    if (lines == 150) {
                        assertTrue(producer.isAlive(), "records still arrive when the sink is killed");
                    }
                } finally {
                    sink.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no commit
                    sink.waitFor(30, TimeUnit.SECONDS);
                }
                System.out.printf(Locale.ROOT, "killed the sink (exit %d) %.1f s after its start at %d JSONL lines, %d TSV lines%n",
                        sink.exitValue(), (System.nanoTime() - started) / 1e9, lineCount(jsonl), lineCount(tsv));
                assertEquals(137, sink.exitValue(), "killed by SIGKILL");
            }
        } finally {
            producer.join(120_000);
        }
        long restart = System.nanoTime();
        Process last = startSink(topics, jsonl, tsv, scores, true);
        assertTrue(last.waitFor(180, TimeUnit.SECONDS), "drain finished");
        System.out.printf(Locale.ROOT, "restarted sink drained the rest in %.1f s (JVM start included)%n",
                (System.nanoTime() - restart) / 1e9);
        String log = Files.readString(dir.resolve("sink.log"));
        assertEquals(0, last.exitValue(), log);
        log.lines().filter(l -> l.contains("skipped") || l.contains("sink consuming") || l.contains("Kafka")
                && l.contains("assigned")).forEach(System.out::println);

        // JSON Lines: each (event, state) of every stream exactly once.
        Map<String, Integer> jsonKeys = new HashMap<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode n = JsonSerde.MAPPER.readTree(line);
            jsonKeys.merge(n.get("event_id").asText() + "/" + n.get("state").asText(), 1, Integer::sum);
        }
        int events = SOURCES.size() * STREAMS.size() * EVENTS_PER_STREAM;
        assertEquals(2 * events, jsonKeys.size());
        assertTrue(jsonKeys.values().stream().allMatch(c -> c == 1), "a record written twice");

        // TSV: every closed event once, each stream under its own name.
        List<String> tsvLines = Files.readAllLines(tsv);
        List<String> expectedRows = new ArrayList<>();
        for (String source : SOURCES) {
            for (int s = 0; s < STREAMS.size(); s++) {
                String name = DcaseFileNames.recording(source, STREAMS.get(s), s == 0);
                for (int e = 0; e < EVENTS_PER_STREAM; e++) {
                    expectedRows.add(String.format(Locale.ROOT, "%s\t%.6f\t%.6f\t%s", name, onset(e) / (double) RATE,
                            (onset(e) + 4_000) / (double) RATE, LABELS.get(e % LABELS.size())));
                }
            }
        }
        assertEquals("filename\tonset\toffset\tevent_label", tsvLines.get(0));
        assertEquals(expectedRows.stream().sorted().toList(), tsvLines.subList(1, tsvLines.size()).stream().sorted().toList());

        // Score tables: one per stream, every frame once, in order.
        for (String source : SOURCES) {
            for (int s = 0; s < STREAMS.size(); s++) {
                String name = DcaseFileNames.recording(source, STREAMS.get(s), s == 0);
                List<String> table = Files.readAllLines(scores.resolve(DcaseFileNames.scoreTableFile(name)));
                assertEquals(1 + BLOCKS_PER_STREAM * FRAMES_PER_BLOCK, table.size(), name);
                for (int f = 0; f < BLOCKS_PER_STREAM * FRAMES_PER_BLOCK; f++) {
                    assertEquals(String.format(Locale.ROOT, "%.6f", (384 + 1024.0 * f) / RATE), table.get(f + 1).split("\t")[0],
                            name + " frame " + f);
                }
            }
        }
    }

    private static long onset(int e) {
        return 8_000L * e;
    }

    /** Per source: the first stream's events and score blocks interleaved, then the second stream's. */
    private static List<ProducerRecord<String, byte[]>> records(Topics topics) {
        List<List<ProducerRecord<String, byte[]>>> perSource = new ArrayList<>();
        for (String source : SOURCES) {
            List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
            for (String stream : STREAMS) {
                int perBlock = EVENTS_PER_STREAM / BLOCKS_PER_STREAM;
                for (int b = 0; b < BLOCKS_PER_STREAM; b++) {
                    for (int e = b * perBlock; e < (b + 1) * perBlock; e++) {
                        String label = LABELS.get(e % LABELS.size());
                        long on = onset(e);
                        String id = EventIds.of(source, stream, label, on);
                        long t0 = 1_795_000_000_000_000L;
                        SoundEvent start = new SoundEvent(id, source, stream, label, SoundEvent.State.START, on, null, RATE,
                                on / (double) RATE, null, t0 + on * 1_000_000L / RATE, null, 0.8, "earshot-sed", "1");
                        SoundEvent end = new SoundEvent(id, source, stream, label, SoundEvent.State.END, on, on + 4_000, RATE,
                                on / (double) RATE, (on + 4_000) / (double) RATE, t0 + on * 1_000_000L / RATE,
                                t0 + (on + 4_000) * 1_000_000L / RATE, 0.8, "earshot-sed", "1");
                        out.add(new ProducerRecord<>(topics.events(), source, JsonSerde.soundEvents().toBytes(start)));
                        out.add(new ProducerRecord<>(topics.events(), source, JsonSerde.soundEvents().toBytes(end)));
                    }
                    List<float[]> rows = new ArrayList<>();
                    for (int f = 0; f < FRAMES_PER_BLOCK; f++) {
                        rows.add(new float[] {0.1f * (f % 10), 0.5f, 0.25f});
                    }
                    long first = (long) b * FRAMES_PER_BLOCK;
                    FrameScores block = new FrameScores(source, stream, RATE, first, 384 + 1024 * first, 1024,
                            1_795_000_000_000_000L, LABELS, rows, "earshot-sed", "1");
                    out.add(new ProducerRecord<>(topics.scores(), source, JsonSerde.frameScores().toBytes(block)));
                }
            }
            perSource.add(out);
        }
        List<ProducerRecord<String, byte[]>> all = new ArrayList<>();
        for (int i = 0; i < perSource.get(0).size(); i++) {
            for (List<ProducerRecord<String, byte[]>> s : perSource) {
                all.add(s.get(i));
            }
        }
        return all;
    }

    /** Publishes in bursts of 20 records, {@code pauseMillis} apart. */
    private static void publish(Properties kafka, List<ProducerRecord<String, byte[]>> records, long pauseMillis) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records.size(); i++) {
                p.send(records.get(i));
                if (i % 20 == 19 && pauseMillis > 0) {
                    p.flush();
                    Thread.sleep(pauseMillis);
                }
            }
            p.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Process startSink(Topics topics, Path jsonl, Path tsv, Path scores, boolean drain) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "sink",
                "--bootstrap-server", KAFKA.bootstrapServers(), "--topic-prefix", "kill.", "--group", "kill-sink",
                "--jsonl", jsonl.toString(), "--tsv", tsv.toString(), "--scores-dir", scores.toString(),
                // Static membership: the restarted sink takes over its partitions at once instead of after
                // the killed member's session timeout (45 s by default), as docs/reliability.md recommends.
                "--kafka", "group.instance.id=kill-sink-1"));
        if (drain) {
            cmd.addAll(List.of("--drain", "--drain-timeout", "120"));
        }
        File log = dir.resolve("sink.log").toFile();
        if (log.exists()) { // keep each run's log for the failure message of the next
            Files.move(log.toPath(), dir.resolve("sink-" + System.nanoTime() + ".log"));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log)).start();
    }

    private static long lineCount(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
