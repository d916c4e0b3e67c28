package io.earshot.launcher;

import io.earshot.ingest.mic.MicCapture;
import io.earshot.ingest.mic.MicConfig;
import io.earshot.ingest.mic.MicSummary;
import io.earshot.telemetry.MetricsEndpoint;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot ingest mic}: a capture device to the audio topic until Ctrl-C. */
@Command(name = "mic", mixinStandardHelpOptions = true,
        description = {"Capture a microphone (javax.sound capture line) and publish it as one source, mono at the target rate.",
                "While Kafka is unreachable, audio is buffered up to --buffer-seconds and sent when it returns; past that "
                        + "the oldest audio is dropped, counted and logged, and the audio after the loss starts a new stream."})
public final class IngestMicCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--source", paramLabel = "ID", required = true, description = "Source id (the record key).")
    String source;

    @Option(names = "--device", paramLabel = "NAME",
            description = "Capture device: exact name or a unique part of it, see 'earshot ingest devices' (default: the first).")
    String device;

    @Option(names = "--target-rate", paramLabel = "HZ", defaultValue = "16000",
            description = "Sample rate sent to Kafka (default: ${DEFAULT-VALUE}).")
    int targetRate;

    @Option(names = "--chunk-ms", paramLabel = "N", defaultValue = "100",
            description = "Audio per record in milliseconds (default: ${DEFAULT-VALUE}).")
    int chunkMillis;

    @Option(names = "--buffer-seconds", paramLabel = "S", defaultValue = "300",
            description = "Audio kept while Kafka is unreachable (default: ${DEFAULT-VALUE}).")
    double bufferSeconds;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (default: until Ctrl-C).")
    Double durationSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MicConfig config = new MicConfig(device, source, targetRate, chunkMillis, Duration.ofMillis(Math.round(bufferSeconds * 1000)),
                50, Duration.ofSeconds(10));
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch finished = new CountDownLatch(1);
        try (MetricsEndpoint metrics = common.startMetrics("ingest")) {
            MicCapture capture = new MicCapture(config, kafka.kafkaProperties(), kafka.topics(), metrics.registry());
            Thread hook = new Thread(() -> {
                capture.stop();
                IngestReplayCommand.awaitQuietly(finished);
            }, "earshot-mic-shutdown");
            MicSummary summary;
            try {
                capture.start();
                Runtime.getRuntime().addShutdownHook(hook);
                err.printf("capturing '%s' (%s) as source %s; Ctrl-C stops%s%n", capture.summary().device(), capture.captureFormat(),
                        source, metrics.serving() ? "; metrics on " + metrics.uri() : "");
                err.flush();
                if (durationSeconds != null) {
                    Thread timer = new Thread(() -> {
                        try {
                            Thread.sleep(Math.round(durationSeconds * 1000));
                        } catch (InterruptedException e) {
                            return;
                        }
                        capture.stop();
                    }, "earshot-mic-duration");
                    timer.setDaemon(true);
                    timer.start();
                }
                summary = capture.awaitTermination();
            } finally {
                finished.countDown();
                IngestReplayCommand.removeQuietly(hook);
            }
            err.println("mic: " + summary);
            err.flush();
            return summary.samplesDropped() == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
        }
    }
}
