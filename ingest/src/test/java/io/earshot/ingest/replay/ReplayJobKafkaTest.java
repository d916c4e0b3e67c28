package io.earshot.ingest.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.broker.EmbeddedKafkaExtension;
import io.earshot.dsp.resample.Resampler;
import io.earshot.dsp.wav.WavEncoding;
import io.earshot.dsp.wav.WavReader;
import io.earshot.dsp.wav.WavWriter;
import io.earshot.ingest.AudioTopicReader;
import io.earshot.ingest.AudioTopicReader.Received;
import io.earshot.ingest.IngestMetrics;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Replays WAV files of several encodings, rates and channel counts to a real in-process broker. */
class ReplayJobKafkaTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    private static Properties kafka() {
        return KAFKA.clientProperties();
    }

    /** A chirp per channel, different on each channel, so mixdown errors would show. */
    private static float[] signal(int rate, int channels, double seconds) {
        int frames = (int) Math.round(rate * seconds);
        float[] x = new float[frames * channels];
        for (int f = 0; f < frames; f++) {
            double t = f / (double) rate;
            for (int c = 0; c < channels; c++) {
                double hz = 200 + 300 * c + 1500 * t;
                x[f * channels + c] = (float) (0.3 * Math.sin(2 * Math.PI * hz * t) + (c == 0 ? 0.05 : -0.05));
            }
        }
        return x;
    }

    private Path wav(String name, int rate, int channels, WavEncoding enc, boolean extensible, double seconds) throws IOException {
        Path f = dir.resolve(name);
        WavWriter.write(f, signal(rate, channels, seconds), rate, channels, enc, extensible);
        return f;
    }

    /** What the topic must carry for a file: mono mixdown, resampled, quantised to 16 bits. */
    private static float[] expected(Path file, int targetRate) throws IOException {
        int rate;
        try (WavReader r = WavReader.open(file)) {
            rate = r.format().sampleRate();
        }
        float[] y = Resampler.resample(WavReader.readMono(file), rate, targetRate);
        for (int i = 0; i < y.length; i++) {
            y[i] = AudioChunk.toPcm16(y[i]) / 32768f;
        }
        return y;
    }

    @Test
    void replaysEveryFileAsItsOwnContiguousStreamAndSurvivesABadFile() throws IOException {
        Topics topics = Topics.withPrefix("replay1.");
        Path sub = Files.createDirectories(dir.resolve("more"));
        List<Path> good = List.of(
                wav("a-44k-stereo-s16.wav", 44100, 2, WavEncoding.PCM_S16, false, 1.3),
                wav("b-48k-mono-s24-ext.wav", 48000, 1, WavEncoding.PCM_S24, true, 0.77),
                wav("c-22k-3ch-f32.wav", 22050, 3, WavEncoding.FLOAT32, false, 1.0),
                wav("d-8k-mono-u8.wav", 8000, 1, WavEncoding.PCM_U8, false, 0.5),
                wav("more/e-16k-mono-s32.wav", 16000, 1, WavEncoding.PCM_S32, false, 0.25));
        Path bad = dir.resolve("more/broken.wav");
        Files.writeString(bad, "this is not a wav file", StandardCharsets.US_ASCII);
        Path missing = dir.resolve("missing.wav");

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ReplayConfig config = ReplayConfig.of(List.of(good.get(0), good.get(1), missing, good.get(2), good.get(3), sub))
                .withPacing(Pacing.maxSpeed()).withSourcePrefix("t1/").withChunkMillis(64).withParallelSources(2);
        ReplaySummary summary = new ReplayJob(config, kafka(), topics, registry).run();

        assertEquals(2, summary.failures().size(), summary.failures().toString());
        assertTrue(summary.failures().stream().anyMatch(f -> f.file().equals(bad) && f.reason().contains("not a RIFF/WAVE file")));
        assertTrue(summary.failures().stream().anyMatch(f -> f.file().equals(missing) && f.reason().contains("no such file")));
        assertEquals(5, summary.sources().size());
        assertTrue(summary.sources().stream().allMatch(ReplaySummary.SourceResult::complete));
        assertEquals(0, summary.sendErrors());
        assertFalse(summary.ok()); // two files failed

        Set<String> sources = good.stream().map(p -> "t1/" + p.getFileName()).collect(Collectors.toSet());
        Map<String, List<Received>> topic = AudioTopicReader.readUntil(KAFKA.bootstrapServers(), topics.audio(),
                Duration.ofSeconds(60), AudioTopicReader.endOfStreamFrom(sources));
        assertEquals(sources, topic.keySet());
        long records = 0;
        for (Path file : good) {
            String source = "t1/" + file.getFileName();
            List<Received> recs = topic.get(source);
            records += recs.size();
            String streamId = recs.get(0).chunk().streamId();
            assertTrue(recs.stream().allMatch(r -> r.chunk().streamId().equals(streamId)), "one stream per source");
            assertEquals(1, recs.stream().map(Received::partition).distinct().count());
            long index = 0;
            for (int i = 0; i < recs.size(); i++) {
                AudioChunk c = recs.get(i).chunk();
                assertEquals(i, c.sequence(), source + " sequence");
                assertEquals(index, c.firstSampleIndex(), source + " contiguous indices");
                assertEquals(16000, c.sampleRate());
                assertEquals(1, c.channels());
                assertEquals(c.captureTimeMillis(), recs.get(i).timestamp(), "record timestamp = capture time");
                assertEquals(recs.get(0).chunk().captureTimeMicrosOfSampleZero(), c.captureTimeMicrosOfSampleZero(), 1);
                assertEquals(i == recs.size() - 1, c.endOfStream(), source + ": exactly one end-of-stream, last");
                if (!c.endOfStream() && i < recs.size() - 2) {
                    assertEquals(1024, c.frameCount(), "64 ms chunks at 16 kHz");
                }
                index = c.endSampleIndex();
            }
            float[] want = expected(file, 16000);
            assertArrayEquals(want, AudioTopicReader.samples(recs, streamId), source + " samples");
            assertEquals(want.length, recs.get(recs.size() - 1).chunk().firstSampleIndex(), "end-of-stream index = length");
            // Replayed faster than real time: the file is presented as a recording that ended by now.
            assertTrue(recs.get(recs.size() - 1).chunk().captureTimeMicros() <= System.currentTimeMillis() * 1000);
        }
        assertEquals(records, summary.chunksSent());
        double audio = good.stream().mapToDouble(f -> topic.get("t1/" + f.getFileName()).stream()
                .mapToDouble(r -> r.chunk().durationSeconds()).sum()).sum();
        assertEquals(audio, summary.audioSeconds(), 1e-6);
        IngestMetrics metrics = new IngestMetrics(registry);
        assertEquals(0.25, metrics.audioSentSeconds("t1/e-16k-mono-s32.wav"), 1e-9);
        assertEquals(2.0, registry.find("earshot.ingest.files").tag("result", "failed").counter().count());
        assertEquals(5.0, registry.find("earshot.ingest.files").tag("result", "ok").counter().count());
    }

    @Test
    void realTimePacingTakesAtLeastTheAudioDuration() throws IOException {
        Path f = wav("paced.wav", 16000, 1, WavEncoding.PCM_S16, false, 0.6);
        Topics topics = Topics.withPrefix("replay2.");
        ReplaySummary real = new ReplayJob(ReplayConfig.of(List.of(f)), kafka(), topics, new SimpleMeterRegistry()).run();
        assertTrue(real.wallTime().toMillis() >= 590, "real time took " + real.wallTime());
        ReplaySummary fast = new ReplayJob(ReplayConfig.of(List.of(f)).withPacing(Pacing.of(4)), kafka(), topics,
                new SimpleMeterRegistry()).run();
        assertTrue(fast.wallTime().toMillis() >= 140, "4x took " + fast.wallTime());
        assertTrue(real.ok() && fast.ok());
        // Two runs of the same file: same source id, two distinct streams.
        Map<String, List<Received>> topic = AudioTopicReader.readUntil(KAFKA.bootstrapServers(), topics.audio(),
                Duration.ofSeconds(30), m -> m.getOrDefault("paced.wav", List.of()).stream().filter(r -> r.chunk().endOfStream()).count() == 2);
        assertEquals(2, topic.get("paced.wav").stream().map(r -> r.chunk().streamId()).distinct().count());
        // Real-time replay stamps chunks with the wall clock of their capture.
        Received first = topic.get("paced.wav").get(0);
        assertTrue(Math.abs(first.chunk().captureTimeMicros() / 1000 - (System.currentTimeMillis() - real.wallTime().toMillis()
                - fast.wallTime().toMillis())) < 30_000);
    }

    @Test
    void unreachableKafkaStopsTheReplayWithOneClearError() throws IOException {
        Path f = wav("nobroker.wav", 16000, 1, WavEncoding.PCM_S16, false, 2);
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:1"); // nothing listens there
        p.put("max.block.ms", "1500");
        ReplayJob job = new ReplayJob(ReplayConfig.of(List.of(f, f)).withPacing(Pacing.maxSpeed()), p, Topics.defaults(),
                new SimpleMeterRegistry());
        long t0 = System.nanoTime();
        org.apache.kafka.common.KafkaException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.kafka.common.KafkaException.class, job::run);
        assertTrue(e.getMessage().startsWith("Kafka did not accept audio of " + f + " (source nobroker.wav) on earshot.audio: "),
                e.getMessage());
        // It gave up after the first refused record instead of waiting out every chunk of both files.
        assertTrue(System.nanoTime() - t0 < 20e9, "took " + (System.nanoTime() - t0) / 1e9 + " s");
    }

    @Test
    void stopEndsOpenStreamsCleanly() throws Exception {
        Path f = wav("long.wav", 16000, 1, WavEncoding.PCM_S16, false, 20);
        Topics topics = Topics.withPrefix("replay3.");
        ReplayJob job = new ReplayJob(ReplayConfig.of(List.of(f)), kafka(), topics, new SimpleMeterRegistry());
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            job.stop();
        });
        stopper.start();
        ReplaySummary s = job.run();
        stopper.join();
        assertTrue(s.stopped());
        assertFalse(s.sources().get(0).complete());
        Map<String, List<Received>> topic = AudioTopicReader.readUntil(KAFKA.bootstrapServers(), topics.audio(),
                Duration.ofSeconds(30), AudioTopicReader.endOfStreamFrom(List.of("long.wav")));
        List<Received> recs = topic.get("long.wav");
        AudioChunk eos = recs.get(recs.size() - 1).chunk();
        assertTrue(eos.endOfStream());
        assertEquals(s.sources().get(0).samples(), eos.firstSampleIndex());
        assertTrue(eos.firstSampleIndex() < 16000 * 5, "stopped long before the end");
    }
}
