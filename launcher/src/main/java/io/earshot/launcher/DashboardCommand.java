package io.earshot.launcher;

import io.earshot.dashboard.DashboardConfig;
import io.earshot.dashboard.DashboardService;
import io.earshot.detector.DetectorConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code earshot dashboard}: the live web page until Ctrl-C. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serve a live web dashboard of the topics.",
                "Reads <prefix>events, <prefix>scores, <prefix>levels and <prefix>energy (read_committed) and pushes "
                        + "what changes to the browser with Server-Sent Events: sources live or idle, their level "
                        + "and top classes, a spectrogram strip, the event timeline and the detector's health. "
                        + "Ctrl-C stops it."})
public final class DashboardCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = DashboardConfig.DEFAULT_BIND,
            description = "Address to listen on; 0.0.0.0 for every interface (the page has no login; default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--detector-id", paramLabel = "ID", defaultValue = DetectorConfig.DEFAULT_APPLICATION_ID,
            description = "The detector's application id, whose lag on the audio topic is shown (default: ${DEFAULT-VALUE}).")
    String detectorId;

    @Option(names = "--history-min", paramLabel = "MINUTES", defaultValue = "15",
            description = "Events and energy reports of the last MINUTES are shown at start (default: ${DEFAULT-VALUE}).")
    long historyMinutes;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be in 0..65535, got " + port);
        }
        if (historyMinutes < 0) {
            throw new ParameterException(spec.commandLine(), "--history-min must not be negative, got " + historyMinutes);
        }
        DashboardConfig config = DashboardConfig.defaults(kafka.kafkaProperties(), kafka.topics())
                .withPort(port).withBind(bind).withDetectorGroupId(detectorId)
                .withHistory(Duration.ofMinutes(historyMinutes));
        Thread hook = new Thread(this::stopAndWait, "earshot-dashboard-shutdown");
        StopSignals signals = StopSignals.install(this::stop);
        try (DashboardService dashboard = DashboardService.start(config)) {
            spec.commandLine().getOut().printf("Dashboard on %s reading %s. Ctrl-C stops it.%n", dashboard.uri(),
                    kafka.bootstrapServers());
            spec.commandLine().getOut().flush();
            Runtime.getRuntime().addShutdownHook(hook);
            stopRequested.await();
        } finally {
            signals.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down already, or never registered
            }
        }
        return Main.EXIT_OK;
    }

    /** Asks a running dashboard (started in-process) to stop; {@link #call()} then returns. */
    public void stop() {
        stopRequested.countDown();
    }

    private void stopAndWait() {
        stop();
        try {
            finished.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
