package io.earshot.launcher;

import io.earshot.ingest.replay.Pacing;
import io.earshot.ingest.replay.ReplayConfig;
import io.earshot.ingest.replay.ReplayJob;
import io.earshot.ingest.replay.ReplaySummary;
import io.earshot.telemetry.MetricsEndpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code earshot ingest replay}: WAV files and directories to the audio topic, one source per file. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay WAV files (PCM 8/16/24/32-bit, float 32/64, any rate and channel count) or directories of them "
                + "to the audio topic. Each file is its own source (id = prefix + file name), resampled to the target rate "
                + "and mixed down to mono, and closed with an end-of-stream record.",
                "Exit code 1 if any file could not be replayed completely; the others are replayed regardless."})
public final class IngestReplayCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "WAV files and directories (searched recursively for *.wav).")
    List<Path> paths;

    @Option(names = "--source-prefix", paramLabel = "P", defaultValue = "",
            description = "Prefix of every source id (default: none, the source id is the file name).")
    String sourcePrefix;

    @Option(names = "--speed", paramLabel = "X", description = "Replay X times faster than real time (default: 1, real time).")
    Double speed;

    @Option(names = "--max-speed", description = "Replay as fast as Kafka takes it.")
    boolean maxSpeed;

    @Option(names = "--chunk-ms", paramLabel = "N", defaultValue = "" + ReplayConfig.DEFAULT_CHUNK_MILLIS,
            description = "Audio per record in milliseconds (default: ${DEFAULT-VALUE}).")
    int chunkMillis;

    @Option(names = "--target-rate", paramLabel = "HZ", defaultValue = "" + ReplayConfig.DEFAULT_TARGET_RATE,
            description = "Sample rate sent to Kafka (default: ${DEFAULT-VALUE}).")
    int targetRate;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "Files replayed at the same time, as simultaneous sources (default: ${DEFAULT-VALUE}, one after another).")
    int parallel;

    @Option(names = "--progress-seconds", paramLabel = "S", defaultValue = "10",
            description = "Seconds between progress lines; 0 for none (default: ${DEFAULT-VALUE}).")
    int progressSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (speed != null && maxSpeed) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed and --max-speed exclude each other");
        }
        Pacing pacing = maxSpeed ? Pacing.maxSpeed() : speed == null ? Pacing.realTime() : Pacing.of(speed);
        ReplayConfig config = new ReplayConfig(paths, sourcePrefix, pacing, chunkMillis, targetRate, parallel,
                Duration.ofSeconds(Math.max(0, progressSeconds)));
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch finished = new CountDownLatch(1);
        try (MetricsEndpoint metrics = common.startMetrics("ingest")) {
            ReplayJob job = new ReplayJob(config, kafka.kafkaProperties(), kafka.topics(), metrics.registry());
            // Ctrl-C: close the open streams with end-of-stream records before the JVM exits.
            Thread hook = new Thread(() -> {
                job.stop();
                awaitQuietly(finished);
            }, "earshot-replay-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            ReplaySummary summary;
            try {
                summary = job.run();
            } finally {
                finished.countDown();
                removeQuietly(hook);
            }
            err.println("replay: " + summary);
            for (ReplaySummary.FileFailure f : summary.failures()) {
                err.println("  failed: " + f);
            }
            err.flush();
            return summary.ok() ? Main.EXIT_OK : Main.EXIT_FAILURE;
        }
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already
        }
    }
}
