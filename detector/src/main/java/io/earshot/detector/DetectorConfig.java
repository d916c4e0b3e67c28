package io.earshot.detector;

import io.earshot.detector.window.WindowWeighting;
import io.earshot.protocol.Topics;
import io.earshot.telemetry.EnergyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Everything a detector process is configured with. Immutable; build one with {@link #builder}.
 *
 * @param kafka              Kafka client properties (bootstrap servers, security, any Streams override)
 * @param topics             topic names
 * @param model              the ONNX model; its manifest is the same path with {@code .json}
 * @param windowSeconds      analysis window length, null for the manifest's default
 * @param hopSeconds         hop between windows, null for the manifest's default
 * @param thresholds         per-label threshold overrides
 * @param emitScores         publish frame scores to the scores topic
 * @param emitLevels         publish each source's level and spectrogram strip to the levels topic
 * @param applicationId      Kafka Streams application id (consumer group, state and changelog names)
 * @param streamThreads      Kafka Streams threads
 * @param intraOpThreads     ONNX Runtime threads per inference
 * @param inferenceThreads   threads running batches (each uses intraOpThreads)
 * @param maxBatch           most windows in one model call
 * @param maxBatchWait       how long a batch waits for more windows after its first
 * @param applyInterval      how often finished inferences are published (wall clock)
 * @param inferenceTimeout   longest wait for one window's or block's inference; then it is dead-lettered
 * @param idleTimeout        wall-clock time without audio after which a source's open events are closed
 * @param weighting          how overlapping windows are averaged
 * @param stateDir           Kafka Streams state directory, null for Kafka's default
 * @param createTopics       create missing topics at start
 * @param topicPartitions    partitions of topics this detector creates
 * @param energy             energy reporting settings, null for none
 */
public record DetectorConfig(Properties kafka, Topics topics, Path model, Double windowSeconds, Double hopSeconds,
                             Map<String, ThresholdOverride> thresholds, boolean emitScores, boolean emitLevels,
                             String applicationId,
                             int streamThreads, int intraOpThreads, int inferenceThreads, int maxBatch,
                             Duration maxBatchWait, Duration applyInterval, Duration inferenceTimeout,
                             Duration idleTimeout, WindowWeighting weighting, Path stateDir,
                             boolean createTopics, int topicPartitions, EnergyConfig energy) {

    public static final Path DEFAULT_MODEL = Path.of("models", "earshot-sed-v2-ens.onnx");
    public static final String DEFAULT_APPLICATION_ID = "earshot-detector";
    /** A source silent this long (wall clock) has its open events closed. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(5);
    /** A window or block not inferred within this time is dead-lettered (the model normally takes milliseconds). */
    public static final Duration DEFAULT_INFERENCE_TIMEOUT = Duration.ofSeconds(10);

    public DetectorConfig {
        Objects.requireNonNull(kafka, "kafka properties");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(weighting, "weighting");
        Properties copy = new Properties();
        copy.putAll(kafka);
        kafka = copy;
        thresholds = Map.copyOf(thresholds);
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("application id must not be blank");
        }
        requirePositive(streamThreads, "stream threads");
        requirePositive(intraOpThreads, "intra-op threads");
        requirePositive(inferenceThreads, "inference threads");
        requirePositive(maxBatch, "max batch");
        requirePositive(topicPartitions, "topic partitions");
        if (maxBatchWait.isNegative()) {
            throw new IllegalArgumentException("max batch wait must not be negative: " + maxBatchWait);
        }
        if (applyInterval.isNegative() || applyInterval.isZero()) {
            throw new IllegalArgumentException("apply interval must be positive: " + applyInterval);
        }
        if (inferenceTimeout.isNegative() || inferenceTimeout.isZero()) {
            throw new IllegalArgumentException("inference timeout must be positive: " + inferenceTimeout);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle time must be positive: " + idleTimeout);
        }
    }

    @Override
    public Properties kafka() {
        Properties copy = new Properties();
        copy.putAll(kafka);
        return copy;
    }

    private static void requirePositive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }

    public static Builder builder(Properties kafka) {
        return new Builder(kafka);
    }

    /** Defaults: the v1 model, manifest window and hop, scores and levels on, one thread each, batches of up to 32 within 5 ms. */
    public static final class Builder {
        private final Properties kafka;
        private Topics topics = Topics.defaults();
        private Path model = DEFAULT_MODEL;
        private Double windowSeconds;
        private Double hopSeconds;
        private Map<String, ThresholdOverride> thresholds = Map.of();
        private boolean emitScores = true;
        private boolean emitLevels = true;
        private String applicationId = DEFAULT_APPLICATION_ID;
        private int streamThreads = 1;
        private int intraOpThreads = 1;
        private int inferenceThreads = 1;
        private int maxBatch = 32;
        private Duration maxBatchWait = Duration.ofMillis(5);
        private Duration applyInterval = Duration.ofMillis(20);
        private Duration inferenceTimeout = DEFAULT_INFERENCE_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private WindowWeighting weighting = WindowWeighting.HANN;
        private Path stateDir;
        private boolean createTopics = true;
        private int topicPartitions = 4;
        private EnergyConfig energy;

        private Builder(Properties kafka) {
            this.kafka = kafka;
        }

        public Builder topics(Topics v) { topics = v; return this; }
        public Builder model(Path v) { model = v; return this; }
        public Builder windowSeconds(Double v) { windowSeconds = v; return this; }
        public Builder hopSeconds(Double v) { hopSeconds = v; return this; }
        public Builder thresholds(Map<String, ThresholdOverride> v) { thresholds = v; return this; }
        public Builder emitScores(boolean v) { emitScores = v; return this; }
        public Builder emitLevels(boolean v) { emitLevels = v; return this; }
        public Builder applicationId(String v) { applicationId = v; return this; }
        public Builder streamThreads(int v) { streamThreads = v; return this; }
        public Builder intraOpThreads(int v) { intraOpThreads = v; return this; }
        public Builder inferenceThreads(int v) { inferenceThreads = v; return this; }
        public Builder maxBatch(int v) { maxBatch = v; return this; }
        public Builder maxBatchWait(Duration v) { maxBatchWait = v; return this; }
        public Builder applyInterval(Duration v) { applyInterval = v; return this; }
        public Builder inferenceTimeout(Duration v) { inferenceTimeout = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder weighting(WindowWeighting v) { weighting = v; return this; }
        public Builder stateDir(Path v) { stateDir = v; return this; }
        public Builder createTopics(boolean v) { createTopics = v; return this; }
        public Builder topicPartitions(int v) { topicPartitions = v; return this; }
        public Builder energy(EnergyConfig v) { energy = v; return this; }

        public DetectorConfig build() {
            return new DetectorConfig(kafka, topics, model, windowSeconds, hopSeconds, thresholds, emitScores,
                    emitLevels, applicationId, streamThreads, intraOpThreads, inferenceThreads, maxBatch, maxBatchWait,
                    applyInterval, inferenceTimeout, idleTimeout, weighting, stateDir, createTopics, topicPartitions, energy);
        }
    }
}
