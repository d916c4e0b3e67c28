package io.earshot.detector.topology;

import io.earshot.detector.DetectorConfig;
import io.earshot.detector.DetectorMetrics;
import io.earshot.detector.DetectorService;
import io.earshot.detector.TestAudio;
import io.earshot.detector.inference.BatchingInferenceExecutor;
import io.earshot.detector.model.OnnxModel;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.FrameScores;
import io.earshot.protocol.JsonSerde;
import io.earshot.protocol.SoundEvent;
import io.earshot.protocol.Topics;
import io.earshot.telemetry.WorkCounters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The real topology and model in a TopologyTestDriver, fed chunk by chunk. */
final class TopologyHarness implements AutoCloseable {

    static final Topics TOPICS = Topics.defaults();

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final DetectorMetrics metrics = new DetectorMetrics(registry, new WorkCounters());
    final DetectionSettings settings;
    private final BatchingInferenceExecutor<?, ?> executor;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> audio;
    private final TestOutputTopic<String, SoundEvent> events;
    private final TestOutputTopic<String, FrameScores> scores;
    private final TestOutputTopic<String, byte[]> dlq;
    final List<SoundEvent> eventLog = new ArrayList<>();
    final List<FrameScores> scoreLog = new ArrayList<>();
    final List<TestRecord<String, byte[]>> dlqLog = new ArrayList<>();
    private long wallClockMicros = 1_800_000_000_000_000L;
    private boolean brokerAway;
    private boolean brokerJustBack;
    private long brokerBackAtMs = Long.MIN_VALUE;
    /** The broker as the idle check sees it: {@link #brokerAway()} and {@link #brokerBack()} switch it. */
    private final BrokerContact broker = nowMs -> {
        if (brokerAway) {
            return Long.MAX_VALUE;
        }
        if (brokerJustBack) {
            brokerBackAtMs = nowMs;
            brokerJustBack = false;
        }
        return brokerBackAtMs;
    };

    TopologyHarness(OnnxModel model, Path stateDir) {
        this(model, stateDir, b -> b);
    }

    TopologyHarness(OnnxModel model, Path stateDir, UnaryOperator<DetectorConfig.Builder> configure) {
        this(model, stateDir, configure, call -> { });
    }

    /**
     * With a hook run before every model call (numbered from 0) on the inference thread: it may throw
     * or stall, to see how the detector takes a failing model.
     */
    TopologyHarness(OnnxModel model, Path stateDir, UnaryOperator<DetectorConfig.Builder> configure,
                    java.util.function.IntConsumer beforeCall) {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        DetectorConfig config = configure.apply(DetectorConfig.builder(new Properties()).model(model.path())).build();
        settings = DetectorService.settings(config, model.manifest());
        org.apache.kafka.streams.Topology topology;
        if (settings.streaming()) {
            BatchingInferenceExecutor<io.earshot.detector.inference.StreamBlock, io.earshot.detector.inference.StreamBlockOutput>
                    blocks = new BatchingInferenceExecutor<>(in -> {
                        beforeCall.accept(calls.getAndIncrement());
                        return model.runBlocks(in);
                    }, b -> b.frames().length, 1, config.maxBatch(), Duration.ZERO, metrics);
            executor = blocks;
            topology = DetectorTopology.streaming(settings, blocks, metrics, () -> wallClockMicros, broker);
        } else {
            BatchingInferenceExecutor<float[][], float[][]> windows = BatchingInferenceExecutor.forWindows(in -> {
                beforeCall.accept(calls.getAndIncrement());
                return model.run(in);
            }, 1, config.maxBatch(), Duration.ZERO, metrics);
            executor = windows;
            topology = DetectorTopology.windowed(settings, windows, metrics, () -> wallClockMicros, broker);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "detector-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, props);
        audio = driver.createInputTopic(TOPICS.audio(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        events = driver.createOutputTopic(TOPICS.events(), Serdes.String().deserializer(),
                JsonSerde.soundEvents().deserializer());
        scores = driver.createOutputTopic(TOPICS.scores(), Serdes.String().deserializer(),
                JsonSerde.frameScores().deserializer());
        dlq = driver.createOutputTopic(TOPICS.audioDlq(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    /** Sends one chunk and lets the wall-clock punctuation apply finished windows. */
    void send(String source, AudioChunk chunk) {
        sendRaw(source, TestAudio.encode(chunk));
    }

    void sendRaw(String source, byte[] value) {
        audio.pipeInput(source, value);
        pump();
    }

    void sendAll(String source, List<AudioChunk> chunks) {
        for (AudioChunk c : chunks) {
            send(source, c);
        }
    }

    void pump() {
        advance(settings.applyInterval());
    }

    /** The broker goes away: the detector's consumers hear nothing from it. */
    void brokerAway() {
        brokerAway = true;
    }

    /** The broker answers again (from the next idle check on). */
    void brokerBack() {
        brokerAway = false;
        brokerJustBack = true;
    }

    /** Lets wall-clock time pass (punctuations run) and collects what was published. */
    void advance(Duration d) {
        wallClockMicros += d.toNanos() / 1000;
        driver.advanceWallClockTime(d);
        eventLog.addAll(events.readValuesToList());
        scoreLog.addAll(scores.readValuesToList());
        dlqLog.addAll(dlq.readRecordsToList());
    }

    @Override
    public void close() {
        driver.close();
        executor.close();
    }
}
