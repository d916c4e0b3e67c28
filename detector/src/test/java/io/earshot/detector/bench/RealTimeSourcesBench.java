package io.earshot.detector.bench;

import io.earshot.broker.EmbeddedKafkaBroker;
import io.earshot.detector.DetectorConfig;
import io.earshot.detector.DetectorMetrics;
import io.earshot.detector.DetectorService;
import io.earshot.detector.TestAudio;
import io.earshot.detector.TestModels;
import io.earshot.detector.ThresholdOverride;
import io.earshot.detector.model.ManifestReader;
import io.earshot.detector.model.OnnxModel;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkSerde;
import io.earshot.protocol.Topics;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Benchmark (not a test): N concurrent real-time 16 kHz sources, 100 ms chunks, against one detector
 * on an in-process broker, with a windowed model (default: earshot-sed-v1 with its manifest's windows)
 * or a streaming one ({@code --model} of a manifest with kind streaming). Reports the CPU the
 * detector's own threads used (stream threads, their Kafka clients, inference), hence sources per core
 * and audio seconds per CPU second, the latencies a read_committed consumer sees, the state bytes per
 * source, and, with {@code --peer-python}, the plain PyTorch loop (training/bench/torch_peer.py) on the
 * same architecture in the same run, and the ratio.
 *
 * <p>Run: {@code mvn -q -pl detector -am test-compile && java -cp ... io.earshot.detector.bench.RealTimeSourcesBench
 * --sources 300 --seconds 60} (see docs/performance.md for the exact command).
 */
public final class RealTimeSourcesBench {

    private static final int RATE = 16000;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int sources = Integer.parseInt(a.getOrDefault("sources", "300"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "20"));
        int chunkMs = Integer.parseInt(a.getOrDefault("chunk-ms", "100"));
        int partitions = Integer.parseInt(a.getOrDefault("partitions", "4"));
        int maxBatch = Integer.parseInt(a.getOrDefault("max-batch", "32"));
        int streamThreads = Integer.parseInt(a.getOrDefault("stream-threads", "1"));
        int maxWaitMs = Integer.parseInt(a.getOrDefault("max-batch-wait-ms", "5"));
        Path model = a.containsKey("model") ? Path.of(a.get("model")) : TestModels.modelPath();
        String peerPython = a.get("peer-python");
        int chunk = RATE * chunkMs / 1000;
        float[] audio = TestAudio.scene(60.0);

        System.out.printf("bench: %d sources x %d ms chunks, %d s warm-up + %d s measured, %d partitions, max batch %d "
                + "(wait %d ms), %d cores visible%n", sources, chunkMs, warmup, seconds, partitions, maxBatch, maxWaitMs,
                Runtime.getRuntime().availableProcessors());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            Properties kafka = new Properties();
            kafka.put("bootstrap.servers", broker.bootstrapServers());
            if (a.containsKey("commit-interval-ms")) {
                kafka.put("commit.interval.ms", a.get("commit-interval-ms"));
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Path state = Files.createTempDirectory("earshot-bench-state");
            // The operating point comes from the model's own scores on the bench audio (as in the tests), so
            // that events happen and their latency can be measured whatever model is committed.
            Map<String, ThresholdOverride> thresholds = Map.of();
            if (!a.getOrDefault("calibrate", "true").equals("false")) {
                try (OnnxModel m = OnnxModel.load(model, ManifestReader.read(ManifestReader.manifestPathFor(model)), 1)) {
                    thresholds = m.manifest().isStreaming() && a.getOrDefault("calibrate", "").equals("percentiles")
                            ? TestModels.percentileThresholds(m, audio) : TestModels.thresholdsFor(m, audio);
                }
            }
            DetectorConfig config = DetectorConfig.builder(kafka).model(model).topics(Topics.defaults()).thresholds(thresholds)
                    .applicationId("bench").stateDir(state).topicPartitions(partitions).maxBatch(maxBatch).maxBatchWait(Duration.ofMillis(maxWaitMs))
                    .streamThreads(streamThreads).emitLevels(!a.getOrDefault("levels", "true").equals("false"))
                    .emitScores(!a.getOrDefault("scores", "true").equals("false")).build();
            try (DetectorService detector = DetectorService.start(config, registry);
                 KafkaProducer<String, AudioChunk> producer = producer(broker)) {
                if (!detector.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("detector did not start: " + detector.state());
                }
                DetectorMetrics metrics = detector.metrics();
                VisibleLatency visible = new VisibleLatency(broker.bootstrapServers(), detector.settings());
                Thread reader = new Thread(visible, "bench-latency-reader");
                reader.setDaemon(true);
                reader.start();
                long t0 = System.nanoTime();
                long wall0 = System.currentTimeMillis() * 1000;
                // stream starts spread over one hop (one block for a streaming model), so windows or blocks come
                // due at different times, as with real sources
                io.earshot.detector.topology.DetectionSettings settings = detector.settings();
                long hopNanos = settings.streaming()
                        ? (long) (settings.manifest().streaming().blockFrames() * settings.manifest().grid().hopSamples() * 1e9 / RATE)
                        : (long) (settings.geometry().hopSeconds(RATE) * 1e9);
                long[] startAt = new long[sources];
                long[] sent = new long[sources];
                for (int s = 0; s < sources; s++) {
                    startAt[s] = t0 + hopNanos * s / sources;
                }
                AtomicLong producedSamples = new AtomicLong();
                long measureStart = t0 + TimeUnit.SECONDS.toNanos(warmup);
                long end = measureStart + TimeUnit.SECONDS.toNanos(seconds);
                Map<Long, Long> cpuAtStart = null;
                double audioAtStart = 0;
                long processCpuAtStart = 0;
                long wallAtStart = 0;
                while (System.nanoTime() < end) {
                    long now = System.nanoTime();
                    if (cpuAtStart == null && now >= measureStart) {
                        visible.measuring = true;
                        cpuAtStart = detectorThreadCpu();
                        audioAtStart = metrics.work().audioSeconds();
                        processCpuAtStart = processCpuNanos();
                        wallAtStart = now;
                    }
                    for (int s = 0; s < sources; s++) {
                        // send every chunk whose last sample has been "captured" by now
                        while (now >= startAt[s] + (sent[s] + 1) * (long) chunkMs * 1_000_000L) {
                            long first = sent[s] * chunk;
                            int offset = (int) ((first + s * 7919L) % (audio.length - chunk));
                            long captureMicros = wall0 + (startAt[s] - t0) / 1000 + first * 1_000_000L / RATE;
                            producer.send(new ProducerRecord<>("earshot.audio", "src-" + s,
                                    AudioChunk.ofMonoPcm16("bench-" + s, sent[s], first, captureMicros, RATE, audio, offset, chunk)));
                            sent[s]++;
                            producedSamples.addAndGet(chunk);
                        }
                    }
                    Thread.sleep(5);
                }
                long wall = System.nanoTime() - wallAtStart;
                visible.measuring = false;
                Map<String, DetectorService.StoreSize> sizes = stateSizesWhenRunning(detector);
                Map<Long, Long> cpuAtEnd = detectorThreadCpu();
                long detectorCpu = 0;
                for (Map.Entry<Long, Long> e : cpuAtEnd.entrySet()) {
                    detectorCpu += e.getValue() - cpuAtStart.getOrDefault(e.getKey(), 0L);
                }
                long processCpu = processCpuNanos() - processCpuAtStart;
                double audioDone = metrics.work().audioSeconds() - audioAtStart;
                double produced = producedSamples.get() / (double) RATE;
                Thread.sleep(3000);
                double behind = produced - metrics.work().audioSeconds();
                double cores = detectorCpu / (double) wall;
                System.out.printf("measured %.1f s: audio analysed %.0f s (%.2f x real time per source), "
                                + "backlog after 3 s drain %.1f audio s of %.0f produced%n",
                        wall / 1e9, audioDone, audioDone / (wall / 1e9) / sources, behind, produced);
                System.out.printf("detector threads CPU: %.3f cores -> %.0f real-time sources per core (audio seconds "
                        + "analysed per CPU second: %.0f); whole process (broker, load generator included): %.3f cores%n",
                        cores, sources / cores, audioDone / (detectorCpu / 1e9), processCpu / (double) wall);
                long stateBytes = 0;
                for (Map.Entry<String, DetectorService.StoreSize> e : sizes.entrySet()) {
                    System.out.printf("state store %s: %d entries, %d bytes%n", e.getKey(), e.getValue().entries(),
                            e.getValue().bytes());
                    stateBytes += e.getValue().bytes();
                }
                System.out.printf("state per source (all stores, keys and values, at the end of the measured interval): "
                        + "%.1f KB%n", stateBytes / (double) sources / 1024);
                detectorAudioPerCpu = audioDone / (detectorCpu / 1e9);
                System.out.printf("model inputs (%s): %d, batches: %d, mean batch %.2f, max %.0f%n",
                        settings.streaming() ? "blocks" : "windows",
                        (long) metrics.batchSizes().totalAmount(), metrics.batchSizes().count(),
                        metrics.batchSizes().mean(), metrics.batchSizes().max());
                print("inference per batch", metrics.inferenceTimer().takeSnapshot());
                System.out.println("Latency as a read_committed consumer sees it, records received in the measured interval:");
                visible.print();
                System.out.println("Detector meters (whole run, warm-up included):");
                print("window latency (newest sample of a window -> its scores published)", metrics.windowLatencyTimer().takeSnapshot());
                print("capture->event (newest sample needed -> record)", metrics.captureToEventTimer().takeSnapshot());
                print("onset->start record (includes the window wait)", metrics.onsetToStartTimer().takeSnapshot());
                peerArgs = settings.streaming() ? List.of("--mode", "streaming")
                        : List.of("--mode", "windowed", "--window-frames", String.valueOf(settings.geometry().windowFrames()),
                        "--hop-frames", String.valueOf(settings.geometry().hopFrames()));
            }
        }
        if (peerPython != null) {
            double peer = runPeer(peerPython, model, peerArgs, Integer.parseInt(a.getOrDefault("peer-streams", "10")));
            System.out.printf("same run: detector %.0f audio s per CPU s, PyTorch loop %.0f: ratio %.2f%n",
                    detectorAudioPerCpu, peer, detectorAudioPerCpu / peer);
        }
    }

    private static double detectorAudioPerCpu;
    private static List<String> peerArgs = List.of();

    /** Runs training/bench/torch_peer.py on the same manifest and returns its audio seconds per CPU second. */
    private static double runPeer(String python, Path model, List<String> modeArgs, int streams) throws Exception {
        Path script = TestModels.repoRoot().resolve("training/bench/torch_peer.py");
        List<String> cmd = new java.util.ArrayList<>(List.of(python, script.toString(), "--manifest",
                ManifestReader.manifestPathFor(model).toAbsolutePath().toString(), "--streams", String.valueOf(streams)));
        cmd.addAll(modeArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        Process p = pb.start();
        double result = Double.NaN;
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println("peer: " + line);
                if (line.startsWith("audio_s_per_cpu_s=")) {
                    result = Double.parseDouble(line.substring(line.indexOf('=') + 1));
                }
            }
        }
        if (p.waitFor() != 0 || Double.isNaN(result)) {
            throw new IllegalStateException("the PyTorch peer failed: " + cmd);
        }
        return result;
    }

    /**
     * Reads scores and events with read_committed and measures, at the moment a record becomes visible:
     * for a score block, the time since the capture of the newest sample of the window that made it
     * final; for a start record, the time since the capture of the event's onset.
     */
    private static final class VisibleLatency implements Runnable {
        private final String bootstrap;
        private final io.earshot.detector.topology.DetectionSettings settings;
        private final java.util.List<Long> windowMicros = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        private final java.util.List<Long> onsetMicros = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        volatile boolean measuring;

        VisibleLatency(String bootstrap, io.earshot.detector.topology.DetectionSettings settings) {
            this.bootstrap = bootstrap;
            this.settings = settings;
        }

        @Override
        public void run() {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("group.id", "bench-latency");
            p.put("auto.offset.reset", "latest");
            p.put("isolation.level", "read_committed");
            try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                c.subscribe(java.util.List.of("earshot.scores", "earshot.events"));
                int pooling = settings.manifest().timePooling();
                int hop = settings.manifest().features().hopLength();
                int win = settings.manifest().features().winLength();
                while (!Thread.currentThread().isInterrupted()) {
                    for (org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis() * 1000;
                        if (!measuring) {
                            continue;
                        }
                        if (r.topic().equals("earshot.scores")) {
                            io.earshot.protocol.FrameScores b = io.earshot.protocol.JsonSerde.frameScores().fromBytes(r.value());
                            long end = b.firstFrameIndex() + b.scores().size();
                            long newestFrame;
                            if (settings.streaming()) {
                                // the last decision frame needed the look-ahead's frames after it
                                newestFrame = (end + settings.manifest().streaming().lookaheadFrames()) * pooling - 1;
                            } else {
                                long windowStart = end * pooling - settings.geometry().hopFrames();
                                newestFrame = windowStart + settings.geometry().windowFrames() - 1;
                            }
                            long newest = newestFrame * hop + win;
                            windowMicros.add(now - (b.captureTimeMicrosOfSampleZero() + newest * 1_000_000L / RATE));
                        } else {
                            io.earshot.protocol.SoundEvent e = io.earshot.protocol.JsonSerde.soundEvents().fromBytes(r.value());
                            if (e.state() == io.earshot.protocol.SoundEvent.State.START) {
                                onsetMicros.add(now - e.onsetTimeMicros());
                            }
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // bench over
            }
        }

        void print() {
            show("  window or block (newest sample the scores needed -> scores visible)", windowMicros);
            show("  onset -> start record visible (includes the window wait)", onsetMicros);
        }

        private static void show(String what, java.util.List<Long> values) {
            long[] v;
            synchronized (values) {
                v = values.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            if (v.length == 0) {
                System.out.printf("%s: none%n", what);
                return;
            }
            System.out.printf("%s: n=%d p50=%.3f s p99=%.3f s max=%.3f s%n", what, v.length, v[v.length / 2] / 1e6,
                    v[Math.min(v.length - 1, (int) Math.ceil(0.99 * v.length) - 1)] / 1e6, v[v.length - 1] / 1e6);
        }
    }

    private static void print(String what, HistogramSnapshot s) {
        StringBuilder b = new StringBuilder();
        for (ValueAtPercentile p : s.percentileValues()) {
            b.append(String.format(" p%.0f=%.3f s", p.percentile() * 100, p.value(TimeUnit.SECONDS)));
        }
        System.out.printf("%s: n=%d mean=%.3f s max=%.3f s%s%n", what, s.count(), s.mean(TimeUnit.SECONDS),
                s.max(TimeUnit.SECONDS), b);
    }

    /** CPU time of the detector's threads: Kafka Streams (named after the application id) and inference. */
    private static Map<Long, Long> detectorThreadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            if (name.contains("bench-") || name.startsWith("earshot-inference")) {
                long cpu = mx.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    out.put(info.getThreadId(), cpu);
                }
            }
        }
        return out;
    }

    /**
     * The detector's store sizes; a stream thread that is rebalancing (after a stall on this shared
     * machine fenced its producer) has no queryable stores for a while, so wait for it up to 60 s.
     */
    private static Map<String, DetectorService.StoreSize> stateSizesWhenRunning(DetectorService detector)
            throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                return detector.stateSizes();
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                System.out.println("state stores not queryable yet (" + e.getMessage() + "); waiting");
                Thread.sleep(1000);
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static KafkaProducer<String, AudioChunk> producer(EmbeddedKafkaBroker broker) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "load-generator");
        return new KafkaProducer<>(p, new StringSerializer(), AudioChunkSerde.chunkSerializer());
    }
}
