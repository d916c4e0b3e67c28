package io.earshot.launcher;

import io.earshot.sink.EnergyTotals;
import io.earshot.sink.SinkConfig;
import io.earshot.sink.SinkService;
import io.earshot.telemetry.MetricsEndpoint;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot sink}: write detected events, score tables and energy totals until Ctrl-C. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Deliver detected events, frame scores and energy reports from Kafka.",
                "Outputs combine; file outputs never repeat an event across restarts (see docs/sinks.md)."})
public final class SinkCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MqttOptions mqtt;

    @Option(names = "--console", description = "Print one line per event start and end.")
    boolean console;

    @Option(names = "--jsonl", paramLabel = "FILE", description = "Append every event record (start and end) as JSON Lines.")
    Path jsonl;

    @Option(names = "--tsv", paramLabel = "FILE",
            description = "Append closed events as a DCASE event list (filename onset offset event_label) for 'earshot eval'.")
    Path tsv;

    @Option(names = "--scores-dir", paramLabel = "DIR",
            description = "Write per-stream frame score tables (sed_scores_eval format, <stream name>.tsv, see docs/sinks.md) from the scores topic.")
    Path scoresDir;

    @Option(names = "--energy", description = "Consume energy reports and print totals across detector instances.")
    boolean energy;

    @Option(names = "--group", paramLabel = "ID", defaultValue = SinkConfig.DEFAULT_GROUP_ID,
            description = "Consumer group; a restarted sink resumes where its group left off (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--drain",
            description = "Exit once everything present in the topics at start-up has been written (instead of running until Ctrl-C).")
    boolean drain;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "With --drain: give up after this many seconds (default: ${DEFAULT-VALUE}).")
    long drainTimeoutSeconds;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        SinkConfig config = new SinkConfig(kafka.kafkaProperties(), kafka.topics(), group, console, jsonl, tsv, scoresDir,
                energy, mqtt.config(group));
        config.requireAnOutput();
        PrintWriter out = spec.commandLine().getOut();
        Thread hook = new Thread(this::stopAndWait, "earshot-sink-shutdown");
        try (MetricsEndpoint metrics = common.startMetrics("sink")) {
            SinkService sink = SinkService.start(config, out, metrics.registry());
            try {
                spec.commandLine().getErr().printf("sink reading from %s as group %s%s%s%n",
                        config.kafka().getProperty("bootstrap.servers"), group,
                        config.mqtt() == null ? "" : ", publishing to MQTT " + config.mqtt().serverUri(),
                        metrics.serving() ? ", metrics on " + metrics.uri() : "");
                spec.commandLine().getErr().flush();
                if (drain) {
                    if (!sink.awaitCaughtUp(Duration.ofSeconds(drainTimeoutSeconds))) {
                        throw new IllegalStateException(sink.failure() != null
                                ? "sink failed: " + sink.failure().getMessage()
                                : "not caught up with the topics within " + drainTimeoutSeconds + " s (is Kafka at "
                                + config.kafka().getProperty("bootstrap.servers") + " reachable? --drain-timeout gives"
                                + " it longer)");
                    }
                } else {
                    Runtime.getRuntime().addShutdownHook(hook);
                    // Wake up when asked to stop or when the sink dies on its own (an output failed).
                    while (!stopRequested.await(500, TimeUnit.MILLISECONDS) && sink.isRunning()) {
                        // waiting
                    }
                }
            } finally {
                sink.close(); // flushes and closes the outputs before the totals are read
            }
            if (sink.failure() != null) {
                throw new IllegalStateException("sink stopped: " + sink.failure().getMessage(), sink.failure());
            }
            if (energy) {
                printTotals(out, sink.energyTotals().total());
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down already, or never registered
            }
        }
        return Main.EXIT_OK;
    }

    /** Asks a running sink (started in-process) to stop; {@link #call()} then returns. */
    public void stop() {
        stopRequested.countDown();
    }

    /** On Ctrl-C: the JVM exits when the hooks end, so wait until the outputs are flushed and closed. */
    private void stopAndWait() {
        stop();
        try {
            finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void printTotals(PrintWriter out, EnergyTotals.Summary t) {
        out.printf(Locale.ROOT, "energy total: %.6f kWh (%.1f J) from %d instance(s), %.3f audio hours, %s kWh per audio hour,"
                        + " %.3f gCO2e, methods %s%n", t.kwh(), t.joules(), t.instances(), t.audioHours(),
                Double.isNaN(t.kwhPerAudioHour()) ? "n/a" : String.format(Locale.ROOT, "%.6f", t.kwhPerAudioHour()),
                t.gramsCo2e(), t.methods());
        out.flush();
    }
}
