package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.dsp.wav.WavEncoding;
import io.earshot.dsp.wav.WavWriter;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkSerde;
import io.earshot.protocol.DecodeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code earshot ingest ...} parsing and a replay end to end on the in-process broker. */
class IngestCommandTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    @Test
    void replayPublishesEveryGoodFileAndNamesTheBadOne() throws Exception {
        float[] tone = new float[22050];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 22050.0));
        }
        WavWriter.write(dir.resolve("one.wav"), tone, 22050, 1, WavEncoding.PCM_S16);
        WavWriter.write(dir.resolve("two.wav"), tone, 8000, 2, WavEncoding.FLOAT32);
        Files.writeString(dir.resolve("bad.wav"), "RIFF but not really");
        MainTest.Result r = MainTest.run(Map.of(), "ingest", "replay", "--bootstrap-server", KAFKA.bootstrapServers(),
                "--topic-prefix", "cli.", "--max-speed", "--source-prefix", "lab/", "--chunk-ms", "250", dir.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("failed: " + dir.resolve("bad.wav") + ": not a RIFF/WAVE file"), r.err());
        assertTrue(r.err().contains("2 file(s) replayed, 1 failed"), r.err());

        Map<String, List<AudioChunk>> bySource = consume(KAFKA.bootstrapServers(), "cli.audio", 2);
        assertEquals(List.of("lab/one.wav", "lab/two.wav"), bySource.keySet().stream().sorted().toList());
        // one.wav: 1 s at 22.05 kHz -> 16000 samples in 250 ms chunks; two.wav: 11025 stereo frames at 8 kHz -> 22050.
        assertEquals(16000, last(bySource.get("lab/one.wav")).firstSampleIndex());
        assertEquals(22050, last(bySource.get("lab/two.wav")).firstSampleIndex());
        assertEquals(4000, bySource.get("lab/one.wav").get(0).frameCount());
    }

    @Test
    void usageErrorsExitWithTwo() {
        MainTest.Result both = MainTest.run("ingest", "replay", "--speed", "2", "--max-speed", dir.toString());
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("--speed and --max-speed exclude each other"), both.err());
        MainTest.Result noSub = MainTest.run("ingest");
        assertEquals(2, noSub.exitCode());
        assertTrue(noSub.err().contains("missing subcommand"), noSub.err());
        MainTest.Result noSource = MainTest.run("ingest", "mic");
        assertEquals(2, noSource.exitCode());
        assertTrue(noSource.err().contains("--source"), noSource.err());
        MainTest.Result noPath = MainTest.run("ingest", "replay");
        assertEquals(2, noPath.exitCode());
        MainTest.Result badChunk = MainTest.run("ingest", "replay", "--chunk-ms", "1", dir.toString());
        assertEquals(2, badChunk.exitCode());
        assertTrue(badChunk.err().contains("chunk length must be 10..10000 ms"), badChunk.err());
    }

    @Test
    void devicesAndHelpRun() {
        assertEquals(0, MainTest.run("ingest", "devices").exitCode());
        MainTest.Result help = MainTest.run("ingest", "replay", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--bootstrap-server") && help.out().contains("--max-speed"), help.out());
    }

    private static AudioChunk last(List<AudioChunk> chunks) {
        AudioChunk c = chunks.get(chunks.size() - 1);
        assertTrue(c.endOfStream());
        return c;
    }

    private static Map<String, List<AudioChunk>> consume(String bootstrap, String topic, int streams) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "ingest-cli-test");
        p.put("auto.offset.reset", "earliest");
        Map<String, List<AudioChunk>> bySource = new HashMap<>();
        try (KafkaConsumer<String, DecodeResult> c = new KafkaConsumer<>(p, new StringDeserializer(), new AudioChunkSerde().deserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (bySource.values().stream().filter(l -> !l.isEmpty() && l.get(l.size() - 1).endOfStream()).count() < streams) {
                assertTrue(System.nanoTime() < deadline, "timed out: " + bySource.keySet());
                for (ConsumerRecord<String, DecodeResult> r : c.poll(Duration.ofMillis(200))) {
                    bySource.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(((DecodeResult.Decoded) r.value()).chunk());
                }
            }
        }
        return bySource;
    }
}
