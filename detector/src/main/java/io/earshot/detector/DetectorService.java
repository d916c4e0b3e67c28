package io.earshot.detector;

import io.earshot.detector.inference.BatchingInferenceExecutor;
import io.earshot.detector.inference.StreamBlock;
import io.earshot.detector.inference.StreamBlockOutput;
import io.earshot.detector.model.ManifestReader;
import io.earshot.detector.model.ModelException;
import io.earshot.detector.model.ModelManifest;
import io.earshot.detector.model.OnnxModel;
import io.earshot.detector.topology.DetectionSettings;
import io.earshot.detector.topology.DetectorTopology;
import io.earshot.detector.topology.IncompatibleStateException;
import io.earshot.detector.topology.LevelsBranch;
import io.earshot.detector.window.WindowGeometry;
import io.earshot.dsp.decode.DecoderConfig;
import io.earshot.protocol.TopicCreation;
import io.earshot.telemetry.EnergyMeter;
import io.earshot.telemetry.EnergyReportPublisher;
import io.earshot.telemetry.WorkCounters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running detector: the model session, the batching executor, the Kafka Streams application and the
 * optional energy reporter. {@link #start} returns once the application is started (not necessarily
 * running yet); {@link #close} stops everything, committing what was processed.
 */
public final class DetectorService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorService.class);

    private final DetectionSettings settings;
    private final OnnxModel model;
    private final BatchingInferenceExecutor<?, ?> executor;
    private final KafkaStreams streams;
    private final EnergyReportPublisher energy;
    private final DetectorMetrics metrics;
    private final KafkaStreamsMetrics clientMetrics;
    private final AtomicReference<Throwable> failure;

    private DetectorService(DetectionSettings settings, OnnxModel model, BatchingInferenceExecutor<?, ?> executor,
                            KafkaStreams streams, EnergyReportPublisher energy, DetectorMetrics metrics,
                            KafkaStreamsMetrics clientMetrics, AtomicReference<Throwable> failure) {
        this.settings = settings;
        this.model = model;
        this.executor = executor;
        this.streams = streams;
        this.energy = energy;
        this.metrics = metrics;
        this.clientMetrics = clientMetrics;
        this.failure = failure;
    }

    /**
     * Loads and checks the model, creates missing topics (if configured) and starts the application.
     *
     * @throws ModelException           for a missing, unreadable or mismatched model
     * @throws IllegalArgumentException for settings the model cannot satisfy
     */
    public static DetectorService start(DetectorConfig config, MeterRegistry registry) {
        if (!Files.isRegularFile(config.model())) {
            throw new ModelException("model file " + config.model() + " does not exist");
        }
        ModelManifest manifest = ManifestReader.read(ManifestReader.manifestPathFor(config.model()));
        DetectionSettings settings = settings(config, manifest);
        OnnxModel model = OnnxModel.load(config.model(), manifest, config.intraOpThreads());
        WorkCounters work = new WorkCounters();
        DetectorMetrics metrics = new DetectorMetrics(registry, work);
        BatchingInferenceExecutor<?, ?> executor;
        Topology topology;
        // filled once the client exists: the idle check reads its consumers' fetch counts
        AtomicReference<KafkaStreams> client = new AtomicReference<>();
        ConsumerFetchContact brokerContact = new ConsumerFetchContact(
                () -> client.get() == null ? Map.of() : client.get().metrics());
        if (manifest.isStreaming()) {
            BatchingInferenceExecutor<StreamBlock, StreamBlockOutput> blocks = new BatchingInferenceExecutor<>(
                    model::runBlocks, b -> b.frames().length, config.inferenceThreads(), config.maxBatch(),
                    config.maxBatchWait(), metrics);
            executor = blocks;
            topology = DetectorTopology.streaming(settings, blocks, metrics, DetectorService::nowMicros, brokerContact);
        } else {
            BatchingInferenceExecutor<float[][], float[][]> windows = BatchingInferenceExecutor.forWindows(model::run,
                    config.inferenceThreads(), config.maxBatch(), config.maxBatchWait(), metrics);
            executor = windows;
            topology = DetectorTopology.windowed(settings, windows, metrics, DetectorService::nowMicros, brokerContact);
        }
        KafkaStreams streams = null;
        EnergyReportPublisher energy = null;
        KafkaStreamsMetrics clientMetrics = null;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            if (config.createTopics()) {
                createTopics(config);
            }
            if (config.emitLevels()) {
                LevelsBranch.addTo(topology, config.topics(), manifest.sampleRate());
            }
            streams = new KafkaStreams(topology, streamsProperties(config));
            client.set(streams);
            streams.setUncaughtExceptionHandler(new StreamThreadFailures(failure, System::nanoTime));
            if (config.energy() != null) {
                energy = EnergyReportPublisher.start(config.energy(), EnergyMeter.detect(config.energy()), work,
                        config.kafka(), config.topics().energy(), registry);
            }
            // Kafka's own client metrics (consumer lag above all: kafka_consumer_fetch_manager_records_lag_max)
            // show whether the detector keeps up with the audio topic.
            clientMetrics = new KafkaStreamsMetrics(streams);
            clientMetrics.bindTo(registry);
            streams.start();
            LOG.info("detector {} started: model {} {} ({} labels), {}, idle time {} ms, scores {}, levels {}",
                    config.applicationId(), manifest.name(), manifest.version(), manifest.labels().size(),
                    settings.streaming() ? "streaming, blocks of " + manifest.streaming().blockFrames() + " output frames"
                            : "window " + settings.geometry().windowFrames() + " frames / hop "
                            + settings.geometry().hopFrames() + " frames",
                    config.idleTimeout().toMillis(), config.emitScores() ? "on" : "off",
                    config.emitLevels() ? "on" : "off");
            return new DetectorService(settings, model, executor, streams, energy, metrics, clientMetrics, failure);
        } catch (RuntimeException e) {
            if (clientMetrics != null) {
                clientMetrics.close();
            }
            if (streams != null) {
                streams.close(Duration.ofSeconds(10));
            }
            if (energy != null) {
                energy.close();
            }
            executor.close();
            model.close();
            throw e;
        }
    }

    /** The incompatible-state error in an exception's causes (Streams wraps what init() throws), or null. */
    static IncompatibleStateException incompatibleState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IncompatibleStateException found) {
                return found;
            }
        }
        return null;
    }

    /**
     * Resolves the mode, window, hop and thresholds against the manifest. Windowed models: the window
     * and hop given in the configuration win, then the manifest's {@code window} block, then the default
     * of {@link #DEFAULT_HOP_SECONDS} hop and a window of two hops. A streaming model has no windows:
     * a window or hop in the configuration is an error.
     */
    public static DetectionSettings settings(DetectorConfig config, ModelManifest manifest) {
        List<DecoderConfig> decoders = decoders(manifest, config.thresholds());
        if (manifest.isStreaming()) {
            if (config.windowSeconds() != null || config.hopSeconds() != null) {
                throw new IllegalArgumentException("model " + manifest.source() + " is a streaming model: it runs block"
                        + " by block and has no window or hop to set");
            }
            return new DetectionSettings(manifest, null, config.weighting(), decoders, config.emitScores(),
                    config.topics(), config.applyInterval(), config.inferenceTimeout(), config.idleTimeout());
        }
        int rate = manifest.sampleRate();
        int frameHop = manifest.features().hopLength();
        ModelManifest.WindowBlock block = manifest.window() != null ? manifest.window() : defaultWindow(manifest);
        WindowGeometry geometry;
        if (config.windowSeconds() == null && config.hopSeconds() == null) {
            geometry = new WindowGeometry(block.frames(), block.hopFrames(), manifest.timePooling(), frameHop);
        } else {
            double window = config.windowSeconds() != null ? config.windowSeconds() : block.frames() * (double) frameHop / rate;
            double hop = config.hopSeconds() != null ? config.hopSeconds() : block.hopFrames() * (double) frameHop / rate;
            geometry = WindowGeometry.fromSeconds(window, hop, rate, frameHop, manifest.timePooling());
        }
        return new DetectionSettings(manifest, geometry, config.weighting(), decoders, config.emitScores(),
                config.topics(), config.applyInterval(), config.inferenceTimeout(), config.idleTimeout());
    }

    /** Default hop of a windowed model whose manifest names none; the window is two hops (50 % overlap). */
    public static final double DEFAULT_HOP_SECONDS = 2.0;

    /** The default window of a windowed model: a hop of about 2 s in whole output frames, a window of two hops. */
    static ModelManifest.WindowBlock defaultWindow(ModelManifest manifest) {
        double outputFrameSec = manifest.grid().hopSamples() / (double) manifest.sampleRate();
        int hopOutputFrames = (int) Math.max(1, Math.round(DEFAULT_HOP_SECONDS / outputFrameSec));
        int hop = hopOutputFrames * manifest.timePooling();
        return new ModelManifest.WindowBlock(2 * hop, hop);
    }

    /** The manifest's decoding rules with thresholds overridden; an off threshold not given keeps its ratio to on. */
    static List<DecoderConfig> decoders(ModelManifest manifest, Map<String, ThresholdOverride> overrides) {
        for (String label : overrides.keySet()) {
            if (manifest.labelIndex(label) < 0) {
                throw new IllegalArgumentException("unknown label '" + label + "' in a threshold; the model's labels are "
                        + manifest.labels());
            }
        }
        List<DecoderConfig> out = new ArrayList<>(manifest.decoders());
        for (Map.Entry<String, ThresholdOverride> o : overrides.entrySet()) {
            int i = manifest.labelIndex(o.getKey());
            DecoderConfig base = out.get(i);
            ThresholdOverride t = o.getValue();
            double off = t.off() != null ? t.off() : t.on() * (base.thresholdOff() / base.thresholdOn());
            out.set(i, base.withThresholds(t.on(), off));
        }
        return out;
    }

    static Properties streamsProperties(DetectorConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // The topology has no global stores, so this changes no behaviour; it opts in to what Kafka 5.0
        // makes the default and so silences the warning Kafka Streams logs at every start without it.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.putAll(config.kafka());
        io.earshot.protocol.KafkaClientDefaults.applyTo(props);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        if (config.stateDir() != null) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        }
        // Producer-side: score blocks and events are small, but be explicit about the record ceiling.
        props.putIfAbsent(StreamsConfig.producerPrefix("max.request.size"), "1048576");
        return props;
    }

    private static void createTopics(DetectorConfig config) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (String topic : List.of(config.topics().audio(), config.topics().events(), config.topics().scores(),
                config.topics().audioDlq())) {
            wanted.put(topic, config.topicPartitions());
        }
        if (config.emitLevels()) {
            wanted.put(config.topics().levels(), config.topicPartitions());
        }
        List<String> created = TopicCreation.createMissing(config.kafka(), wanted);
        if (!created.isEmpty()) {
            LOG.info("created topics {}", created);
        }
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    public DetectionSettings settings() {
        return settings;
    }

    public DetectorMetrics metrics() {
        return metrics;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * True while the detector processes or is about to (created, rebalancing, running); false once its
     * stream threads have stopped or are stopping, by themselves ({@link #failure()} says why) or by
     * {@link #close()}. Callers need no knowledge of Kafka Streams' states.
     */
    public boolean isAlive() {
        KafkaStreams.State s = streams.state();
        return s == KafkaStreams.State.CREATED || s == KafkaStreams.State.REBALANCING || s == KafkaStreams.State.RUNNING;
    }

    /**
     * What stopped the stream threads, or null while none failed: for state written with other settings,
     * the {@link IncompatibleStateException} itself, whose message is one line naming the source, the
     * stored and the current settings and the remedy.
     */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * Entries and bytes (keys and values in their stored binary form) of each local state store of
     * this instance, by store name, read through Kafka Streams' interactive queries: what the state of
     * the sources this instance serves costs. Only while the application is running.
     *
     * @param entries    key-value pairs
     * @param bytes      key plus value bytes
     */
    public record StoreSize(long entries, long bytes) {
    }

    public Map<String, StoreSize> stateSizes() {
        List<String> names = settings.streaming()
                ? List.of(DetectorTopology.STREAMS_STORE, DetectorTopology.MODEL_STATE_STORE)
                : List.of(DetectorTopology.STREAMS_STORE, DetectorTopology.FRAMES_STORE, DetectorTopology.DECODE_STORE);
        Map<String, StoreSize> out = new java.util.LinkedHashMap<>();
        for (String name : names) {
            ReadOnlyKeyValueStore<Object, Object> store = streams.store(
                    StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
            long entries = 0;
            long bytes = 0;
            try (KeyValueIterator<Object, Object> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<Object, Object> kv = it.next();
                    entries++;
                    bytes += storedBytes(kv.key) + storedBytes(kv.value);
                }
            }
            out.put(name, new StoreSize(entries, bytes));
        }
        return out;
    }

    private static long storedBytes(Object o) {
        if (o instanceof String str) {
            return str.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        } else if (o instanceof byte[] b) {
            return b.length;
        } else if (o instanceof org.apache.kafka.common.utils.Bytes b) {
            return b.get().length;
        } else if (o instanceof io.earshot.detector.state.SourceStream v) {
            return v.toBytes().length;
        } else if (o instanceof io.earshot.detector.state.DecodeProgress v) {
            return v.toBytes().length;
        } else if (o instanceof io.earshot.detector.state.ModelProgress v) {
            return v.toBytes().length;
        }
        throw new IllegalArgumentException("unexpected state value " + o.getClass());
    }

    /** Waits until the application is RUNNING (true) or the timeout passes or it fails (false). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING
                    || s == KafkaStreams.State.PENDING_SHUTDOWN) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        // Leaving the group on a clean stop lets a restarted (or another) instance take the partitions at
        // once, instead of after the session timeout of the member that is gone. The wait is bounded at 10 s
        // so a detector whose broker is gone still stops promptly: under exactly-once an unfinished
        // transaction is aborted and its input is processed again by the next instance, so nothing is lost.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
        clientMetrics.close();
        if (energy != null) {
            energy.close();
        }
        executor.close();
        model.close();
        LOG.info("detector stopped");
    }
}
