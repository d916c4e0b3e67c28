package io.earshot.ingest.mic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.broker.BrokerConfig;
import io.earshot.broker.EmbeddedKafkaBroker;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The microphone path end to end: a WAV file served as a capture device through the test
 * {@link WavCaptureMixerProvider}, captured, converted and sent to a real in-process broker, including
 * broker outages shorter and longer than the capture backlog.
 */
class MicCaptureKafkaTest {

    private static final String SOURCE = "kitchen-mic";

    @TempDir
    Path dir;

    private EmbeddedKafkaBroker broker;

    @AfterEach
    void tearDown() {
        WavCaptureMixerProvider.unserve();
        if (broker != null) {
            broker.close();
        }
    }

    private Path wav(double seconds) throws IOException {
        int rate = 44100;
        int frames = (int) (rate * seconds);
        float[] x = new float[frames * 2];
        for (int f = 0; f < frames; f++) {
            double t = f / (double) rate;
            x[2 * f] = (float) (0.4 * Math.sin(2 * Math.PI * (300 + 200 * t) * t));
            x[2 * f + 1] = (float) (0.2 * Math.sin(2 * Math.PI * 2500 * t));
        }
        Path f = dir.resolve("room.wav");
        WavWriter.write(f, x, rate, 2, WavEncoding.PCM_S16);
        return f;
    }

    /** The capture as it should arrive: mono mixdown of the 16-bit samples, resampled to 16 kHz, quantised. */
    private static float[] expected(Path wav) throws IOException {
        float[] y = Resampler.resample(WavReader.readMono(wav), 44100, 16000);
        for (int i = 0; i < y.length; i++) {
            y[i] = AudioChunk.toPcm16(y[i]) / 32768f;
        }
        return y;
    }

    private Properties kafka() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("reconnect.backoff.max.ms", "200");
        return p;
    }

    private EmbeddedKafkaBroker startBroker(int port) {
        return EmbeddedKafkaBroker.start(new BrokerConfig(dir.resolve("kafka"), port));
    }

    @Test
    void devicesListTheTestDeviceAndNegotiateItsFormat() throws IOException {
        WavCaptureMixerProvider.serve(wav(0.1), 1);
        List<CaptureDevices.Device> devices = CaptureDevices.list();
        assertTrue(devices.stream().anyMatch(d -> d.name().equals(WavCaptureMixerProvider.DEVICE_NAME)), devices.toString());
        javax.sound.sampled.AudioFormat f = FormatNegotiator.choose(CaptureDevices.find("test wav"), 16000);
        assertEquals(44100f, f.getSampleRate());
        assertEquals(2, f.getChannels());
        assertEquals(16, f.getSampleSizeInBits());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CaptureDevices.find("no such device"));
        assertTrue(e.getMessage().contains("no capture device matches 'no such device'") && e.getMessage().contains(WavCaptureMixerProvider.DEVICE_NAME),
                e.getMessage());
    }

    @Test
    void anUnknownDeviceFailsAtStartNamingTheDevicesThereAre() throws IOException {
        WavCaptureMixerProvider.serve(wav(0.1), 1);
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:1");
        MicCapture capture = new MicCapture(MicConfig.of(SOURCE).withDevice("studio condenser"), p, Topics.defaults(),
                new SimpleMeterRegistry());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, capture::start);
        assertTrue(e.getMessage().contains("no capture device matches 'studio condenser'"), e.getMessage());
        assertTrue(e.getMessage().contains(WavCaptureMixerProvider.DEVICE_NAME), e.getMessage());
    }

    @Test
    void capturesTheDeviceResampledToOneContiguousStream() throws Exception {
        broker = startBroker(0);
        Path wav = wav(3.0);
        WavCaptureMixerProvider.serve(wav, 8);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicConfig config = MicConfig.of(SOURCE).withDevice(WavCaptureMixerProvider.DEVICE_NAME);
        MicSummary summary = new MicCapture(config, kafka(), Topics.withPrefix("mic1."), registry).run();

        float[] want = expected(wav);
        assertEquals(want.length, summary.samplesCaptured());
        assertEquals(want.length, summary.samplesSent());
        assertEquals(0, summary.samplesDropped());
        assertEquals(1, summary.streamIds().size());
        List<Received> recs = read("mic1.audio", 1);
        assertContiguousStreams(recs);
        assertArrayEquals(want, AudioTopicReader.samples(recs, summary.streamIds().get(0)), 2.5f / 32768);
        assertEquals(3.0, new IngestMetrics(registry).audioSentSeconds(SOURCE), 1e-3);
    }

    @Test
    void outageShorterThanTheBacklogLosesNothing() throws Exception {
        broker = startBroker(0);
        int port = broker.port();
        Path wav = wav(20.0);
        WavCaptureMixerProvider.serve(wav, 4); // 5 s of wall time
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicConfig config = MicConfig.of(SOURCE).withDevice(WavCaptureMixerProvider.DEVICE_NAME).withBacklog(Duration.ofSeconds(60))
                .withMaxInFlight(5); // 0.5 s in the producer; the rest of the outage piles up in the backlog
        MicCapture capture = new MicCapture(config, kafka(), Topics.withPrefix("mic2."), registry);
        capture.start();
        Thread.sleep(1000);
        broker.close();
        Thread.sleep(1500); // ~6 s of audio captured with no broker
        double backlogDuringOutage = capture.backlogSeconds();
        broker = startBroker(port);
        MicSummary summary = capture.awaitTermination();

        assertTrue(backlogDuringOutage > 2, "audio piled up during the outage: " + backlogDuringOutage + " s");
        float[] want = expected(wav);
        assertEquals(0, summary.samplesDropped(), summary.toString());
        assertEquals(want.length, summary.samplesSent());
        assertEquals(1, summary.streamIds().size());
        List<Received> recs = read("mic2.audio", 1);
        assertContiguousStreams(recs);
        assertArrayEquals(want, AudioTopicReader.samples(recs, summary.streamIds().get(0)), 2.5f / 32768);
        assertEquals(0.0, new IngestMetrics(registry).audioDroppedSeconds(SOURCE));
    }

    /**
     * A 60-s broker outage with every setting at its default (5-min backlog, Kafka client defaults of
     * Earshot): no sample lost, one stream, the backlog peak reported; while the broker is away the producer
     * logs a reconnect warning every ~10 s, not every second. Takes about 110 s.
     */
    @Test
    void aSixtySecondOutageAtDefaultSettingsLosesNothingAndReportsTheBacklogPeak() throws Exception {
        broker = startBroker(0);
        int port = broker.port();
        double outageSeconds = Double.parseDouble(System.getProperty("earshot.outage.seconds", "60"));
        // Capture goes on for 45 s after the outage, as a microphone would, while the backlog drains.
        Path wav = wav(outageSeconds + 48);
        WavCaptureMixerProvider.serve(wav, 1); // real time
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicConfig config = MicConfig.of(SOURCE).withDevice(WavCaptureMixerProvider.DEVICE_NAME);
        Properties defaults = new Properties();
        defaults.put("bootstrap.servers", broker.bootstrapServers());
        MicCapture capture = new MicCapture(config, defaults, Topics.withPrefix("mic60."), registry);
        capture.start();
        Thread.sleep(3000);
        LogTap tap = LogTap.start();
        long down = System.nanoTime();
        broker.close();
        Thread.sleep((long) (outageSeconds * 1000));
        double backlogBeforeReturn = capture.backlogSeconds();
        double outage = (System.nanoTime() - down) / 1e9;
        List<String> outageLog = tap.stop();
        broker = startBroker(port);
        MicSummary summary = capture.awaitTermination();

        float[] want = expected(wav);
        assertEquals(0, summary.samplesDropped(), summary.toString());
        assertEquals(want.length, summary.samplesCaptured());
        assertEquals(want.length, summary.samplesSent());
        assertEquals(1, summary.streamIds().size(), "one stream: nothing was lost");
        List<Received> recs = read("mic60.audio", 1);
        assertContiguousStreams(recs);
        assertArrayEquals(want, AudioTopicReader.samples(recs, summary.streamIds().get(0)), 2.5f / 32768);
        assertTrue(summary.backlogPeakSeconds() >= outageSeconds - 5, "backlog peak " + summary);
        assertTrue(summary.backlogPeakSeconds() >= backlogBeforeReturn);
        assertTrue(summary.toString().contains("backlog peak"), summary.toString());
        long kafkaLines = outageLog.stream().filter(l -> l.contains("clientId=earshot-ingest")).count();
        List<String> outageLines = outageLog.stream().filter(l -> l.contains("KafkaOutageLog")
                && l.contains("[earshot-ingest]")).toList();
        long micLines = outageLog.stream().filter(l -> l.contains("source " + SOURCE)).count();
        System.out.printf("outage %.1f s: backlog %.1f s before the broker returned, %s; %d outage lines of the producer, "
                        + "%d other Kafka client lines, %d capture log lines during the outage%n", outage,
                backlogBeforeReturn, summary, outageLines.size(), kafkaLines, micLines);
        // Kafka's own warnings per reconnect attempt are off (as in the launcher); KafkaOutageLog says it once
        // when the attempts start failing, then once every 10 s. The other Kafka lines are one or two per
        // request in flight when the broker went (at most 5 in flight).
        assertTrue(!outageLines.isEmpty() && outageLines.get(0).contains("cannot reach the Kafka broker"),
                "the outage is logged: " + outageLog);
        assertTrue(outageLines.size() <= 2 + outage / 10, outageLines.size() + " outage lines in " + outage + " s: "
                + outageLines);
        assertTrue(kafkaLines <= 10, kafkaLines + " other Kafka client lines: " + outageLog);
        assertTrue(micLines <= 1 + outage / 10, micLines + " capture lines in " + outage + " s");
    }

    /** Lines written to stderr (where slf4j-simple logs) between start and stop. */
    static final class LogTap extends java.io.OutputStream {
        private final java.io.PrintStream original = System.err;
        private final java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();

        static LogTap start() {
            LogTap tap = new LogTap();
            System.setErr(new java.io.PrintStream(tap, true, java.nio.charset.StandardCharsets.UTF_8));
            return tap;
        }

        @Override
        public synchronized void write(int b) {
            original.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            copy.write(b, off, len);
        }

        synchronized List<String> stop() {
            System.setErr(original);
            return copy.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void outageLongerThanTheBacklogDropsTheOldestAudioCountedAndStartsANewStream() throws Exception {
        broker = startBroker(0);
        int port = broker.port();
        Path wav = wav(20.0);
        WavCaptureMixerProvider.serve(wav, 4);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicConfig config = MicConfig.of(SOURCE).withDevice(WavCaptureMixerProvider.DEVICE_NAME).withBacklog(Duration.ofSeconds(2))
                .withMaxInFlight(5);
        MicCapture capture = new MicCapture(config, kafka(), Topics.withPrefix("mic3."), registry);
        capture.start();
        Thread.sleep(1000);
        broker.close();
        Thread.sleep(2000); // ~8 s of audio against a 2 s backlog
        broker = startBroker(port);
        MicSummary summary = capture.awaitTermination();

        float[] want = expected(wav);
        assertEquals(want.length, summary.samplesCaptured());
        assertTrue(summary.samplesDropped() > 3 * 16000, "dropped " + summary.samplesDropped());
        assertEquals(summary.samplesCaptured(), summary.samplesSent() + summary.samplesDropped(), "every sample sent or counted as dropped");
        IngestMetrics metrics = new IngestMetrics(registry);
        assertEquals(summary.samplesDropped() / 16000.0, metrics.audioDroppedSeconds(SOURCE), 1e-6);
        assertTrue(registry.find("earshot.ingest.audio.dropped").tag("reason", "buffer_full").counter().count() > 3);
        assertTrue(summary.streamIds().size() >= 2, "a new stream after the loss: " + summary.streamIds());

        List<Received> recs = read("mic3.audio", summary.streamIds().size());
        assertContiguousStreams(recs);
        long received = recs.stream().mapToLong(r -> r.chunk().frameCount()).sum();
        assertEquals(summary.samplesSent(), received);
        // Each stream carries exactly the audio captured at its time: locate it by capture time.
        long zero = recs.get(0).chunk().captureTimeMicrosOfSampleZero();
        for (String stream : summary.streamIds()) {
            float[] got = AudioTopicReader.samples(recs, stream);
            long streamZero = recs.stream().filter(r -> r.chunk().streamId().equals(stream)).findFirst().orElseThrow()
                    .chunk().captureTimeMicrosOfSampleZero();
            int offset = (int) Math.round((streamZero - zero) * 16000 / 1e6);
            assertArrayEquals(Arrays.copyOfRange(want, offset, offset + got.length), got, 2.5f / 32768, "stream " + stream + " at " + offset);
        }
    }

    private List<Received> read(String topic, int streams) {
        Map<String, List<Received>> m = AudioTopicReader.readUntil(broker.bootstrapServers(), topic, Duration.ofSeconds(60),
                x -> x.getOrDefault(SOURCE, List.of()).stream().filter(r -> r.chunk().endOfStream()).count() >= streams);
        return m.get(SOURCE);
    }

    /** Per stream: sequence and sample indices contiguous from 0, one end-of-stream record, last. */
    private static void assertContiguousStreams(List<Received> recs) {
        Map<String, List<AudioChunk>> byStream = new java.util.LinkedHashMap<>();
        for (Received r : recs) {
            byStream.computeIfAbsent(r.chunk().streamId(), k -> new java.util.ArrayList<>()).add(r.chunk());
            assertEquals(r.chunk().captureTimeMillis(), r.timestamp());
        }
        for (Map.Entry<String, List<AudioChunk>> e : byStream.entrySet()) {
            List<AudioChunk> chunks = e.getValue();
            long index = 0;
            for (int i = 0; i < chunks.size(); i++) {
                AudioChunk c = chunks.get(i);
                assertEquals(i, c.sequence(), "sequence in " + e.getKey());
                assertEquals(index, c.firstSampleIndex(), "index in " + e.getKey());
                assertEquals(i == chunks.size() - 1, c.endOfStream(), "end of stream last in " + e.getKey());
                index = c.endSampleIndex();
            }
        }
    }
}
