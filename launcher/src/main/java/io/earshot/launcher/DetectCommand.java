package io.earshot.launcher;

import io.earshot.detector.DetectorConfig;
import io.earshot.detector.DetectorService;
import io.earshot.detector.ThresholdOverride;
import io.earshot.telemetry.EnergyConfig;
import io.earshot.telemetry.MetricsEndpoint;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code earshot detect}: the Kafka Streams detector until Ctrl-C. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Run the sound event detector (Kafka Streams + ONNX Runtime).",
                "Reads audio chunks from <prefix>audio, writes events to <prefix>events, frame scores to "
                        + "<prefix>scores, levels to <prefix>levels and unusable records to <prefix>audio.dlq. "
                        + "Ctrl-C stops it cleanly."})
public final class DetectCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    EnergyOptions energyOptions;

    @Mixin
    ModelOptions model;

    @Option(names = "--window-s", paramLabel = "SECONDS",
            description = "Windowed models: analysis window length (default: the manifest's window block, else two hops)."
                    + " A streaming model has no windows.")
    Double windowSeconds;

    @Option(names = "--hop-s", paramLabel = "SECONDS",
            description = "Windowed models: hop between windows (default: the manifest's window block, else about 2 s;"
                    + " every frame is seen by two windows).")
    Double hopSeconds;

    @Option(names = "--threshold", paramLabel = "LABEL=ON[:OFF]",
            description = "Thresholds of one label, repeatable, e.g. --threshold Speech=0.6 or Speech=0.6:0.4 "
                    + "(without OFF, the off threshold keeps the manifest's ratio to on).")
    Map<String, String> thresholds = new LinkedHashMap<>();

    @Option(names = "--no-scores", description = "Do not publish frame scores.")
    boolean noScores;

    @Option(names = "--no-levels", description = "Do not publish levels and spectrogram strips (<prefix>levels, "
            + "read by earshot dashboard).")
    boolean noLevels;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = DetectorConfig.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id: group, state and changelog names (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--stream-threads", paramLabel = "N", defaultValue = "1",
            description = "Kafka Streams threads (default: ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--intra-op-threads", paramLabel = "N", defaultValue = "1",
            description = "ONNX Runtime threads per inference (default: ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(names = "--inference-threads", paramLabel = "N", defaultValue = "1",
            description = "Threads running model batches (default: ${DEFAULT-VALUE}).")
    int inferenceThreads;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "32",
            description = "Most windows per model call (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-batch-wait-ms", paramLabel = "MS", defaultValue = "5",
            description = "How long a batch waits for more windows (default: ${DEFAULT-VALUE}).")
    long maxBatchWaitMs;

    @Option(names = "--idle-timeout-s", paramLabel = "SECONDS", defaultValue = "5",
            description = "A source that sends nothing for this long (wall clock) has its last audio scored and its"
                    + " open events closed with end_reason idle (default: ${DEFAULT-VALUE}).")
    double idleTimeoutSeconds;

    @Option(names = "--inference-timeout-s", paramLabel = "SECONDS", defaultValue = "10",
            description = "Longest wait for one window's or block's inference; then it goes to the DLQ and the source"
                    + " goes on (default: ${DEFAULT-VALUE}).")
    double inferenceTimeoutSeconds;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".earshot/detector-state",
            description = "Kafka Streams state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--energy-interval-s", paramLabel = "SECONDS", defaultValue = "10",
            description = "Energy report interval; 0 turns energy reports off (default: ${DEFAULT-VALUE}).")
    double energyIntervalSeconds;

    @Option(names = "--instance-id", paramLabel = "ID",
            description = "Instance id of energy reports (default: application id and host name).")
    String instanceId;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        DetectorConfig config = DetectorConfig.builder(kafka.kafkaProperties())
                .topics(kafka.topics())
                .model(model.resolved())
                .windowSeconds(windowSeconds)
                .hopSeconds(hopSeconds)
                .thresholds(parseThresholds())
                .emitScores(!noScores)
                .emitLevels(!noLevels)
                .applicationId(applicationId)
                .streamThreads(streamThreads)
                .intraOpThreads(intraOpThreads)
                .inferenceThreads(inferenceThreads)
                .maxBatch(maxBatch)
                .maxBatchWait(Duration.ofMillis(maxBatchWaitMs))
                .idleTimeout(Duration.ofMillis(Math.round(idleTimeoutSeconds * 1000)))
                .inferenceTimeout(Duration.ofMillis(Math.round(inferenceTimeoutSeconds * 1000)))
                .stateDir(stateDir)
                .energy(energyConfig())
                .build();
        Thread hook = new Thread(this::stopAndWait, "earshot-detect-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // Ctrl-C/SIGTERM stop the detector before JVM shutdown: ONNX Runtime's own shutdown hook frees
        // its environment even while a model call runs (a JVM crash), see StopSignals.
        StopSignals signals = StopSignals.install(this::stop);
        try (MetricsEndpoint metrics = common.startMetrics("detector");
             DetectorService detector = DetectorService.start(config, metrics.registry())) {
            int rate = detector.settings().manifest().sampleRate();
            String mode = detector.settings().streaming() ? "streaming"
                    : String.format(java.util.Locale.ROOT, "window %.2f s, hop %.2f s",
                    detector.settings().geometry().windowSeconds(rate), detector.settings().geometry().hopSeconds(rate));
            spec.commandLine().getOut().printf("Detector %s reading %s from %s, model %s (%s)%s. Ctrl-C stops it.%n",
                    applicationId, config.topics().audio(), kafka.bootstrapServers(), model.given(), mode,
                    metrics.serving() ? ", metrics on " + metrics.uri() : "");
            spec.commandLine().getOut().flush();
            awaitStopOrFailure(detector);
        } finally {
            signals.close();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // already shutting down (Ctrl-C): nothing to remove
            }
        }
        return Main.EXIT_OK;
    }

    /**
     * Returns when a stop is asked for; throws when the detector's stream threads stopped by themselves
     * (state written with other settings, a broken model or store), so the command ends with that reason
     * as its one-line error instead of waiting for a Ctrl-C that nothing would prompt.
     */
    private void awaitStopOrFailure(DetectorService detector) throws InterruptedException {
        while (!stopRequested.await(500, TimeUnit.MILLISECONDS)) {
            if (!detector.isAlive()) {
                Throwable failure = detector.failure();
                throw new DetectorStoppedException("the detector stopped: " + (failure != null ? failure.getMessage()
                        : "its stream threads ended (state " + detector.state() + ")"), failure);
            }
        }
    }

    /** The detector ended without being asked to; reported as a failure (exit code 1). */
    static final class DetectorStoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DetectorStoppedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Map<String, ThresholdOverride> parseThresholds() {
        Map<String, ThresholdOverride> out = new LinkedHashMap<>();
        thresholds.forEach((label, value) -> {
            try {
                out.put(label, ThresholdOverride.parse(value));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--threshold " + label + "=" + value + ": " + e.getMessage());
            }
        });
        return out;
    }

    private EnergyConfig energyConfig() throws Exception {
        if (energyIntervalSeconds <= 0) {
            return null;
        }
        String id = instanceId != null ? instanceId : applicationId + "-" + InetAddress.getLocalHost().getHostName();
        EnergyConfig d = EnergyConfig.defaults(id);
        return energyOptions.apply(new EnergyConfig(id, Duration.ofMillis(Math.round(energyIntervalSeconds * 1000)),
                d.gridGramsCo2ePerKwh(), d.preferRapl(), d.powercapRoot(), d.wattsPerCore(), d.memoryWattsPerGib()));
    }

    /** Asks a running command to stop; {@link #call()} then closes the detector and returns. */
    public void stop() {
        stopRequested.countDown();
    }

    private void stopAndWait() {
        stop();
        try {
            stopped.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
