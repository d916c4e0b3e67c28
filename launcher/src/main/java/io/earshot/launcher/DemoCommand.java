package io.earshot.launcher;

import io.earshot.ingest.replay.Pacing;
import io.earshot.ingest.replay.ReplayConfig;
import io.earshot.launcher.demo.Demo;
import io.earshot.launcher.demo.DemoConfig;
import io.earshot.telemetry.MetricsEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot demo}: the whole pipeline in one process on the demo soundscapes, then the evaluation. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole pipeline in one process and evaluate it.",
                "Starts an in-process Kafka broker, the detector and the sinks in a temporary directory, replays "
                        + "the demo soundscapes (or --audio) through Kafka, prints events as they are detected, waits "
                        + "for the last one, then prints the DCASE evaluation against the ground truth, the energy "
                        + "report and the throughput. Needs no network; deletes its temporary data at the end."})
public final class DemoCommand implements Callable<Integer> {

    static final Path DEMO_AUDIO = Path.of("demo", "audio");
    static final Path DEMO_GROUND_TRUTH = Path.of("demo", "ground_truth.tsv");
    static final Path DEMO_DURATIONS = Path.of("demo", "durations.tsv");

    @Mixin
    CommonOptions common;

    /** A dataset of one's own: audio, ground truth and durations together. */
    static final class Dataset {
        @Option(names = "--audio", paramLabel = "DIR", required = true,
                description = "WAV files to replay, one source per file (default: demo/audio).")
        Path audio;

        @Option(names = "--ground-truth", paramLabel = "FILE", required = true,
                description = "DCASE event list of that audio (default: demo/ground_truth.tsv).")
        Path groundTruth;

        @Option(names = "--durations", paramLabel = "FILE", required = true,
                description = "DCASE durations file of that audio (default: demo/durations.tsv).")
        Path durations;
    }

    @ArgGroup(exclusive = false, heading = "%nDataset (all three, or none for the bundled demo):%n")
    Dataset dataset;

    @Mixin
    ModelOptions model;

    @Option(names = "--realtime", description = "Replay in real time (default: as fast as the pipeline takes it).")
    boolean realtime;

    @Option(names = "--chunk-ms", paramLabel = "MS", defaultValue = "100",
            description = "Audio per chunk record (default: ${DEFAULT-VALUE}).")
    int chunkMillis;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the evaluation (as eval --json) with energy and throughput objects to FILE.")
    Path json;

    @Option(names = "--no-events", description = "Do not print events as they are detected.")
    boolean noEvents;

    @Option(names = "--keep-data", description = "Keep the temporary directory (broker data, events.tsv, score tables).")
    boolean keepData;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the temporary directory is created (default: the system's temp dir).")
    Path workDir;

    @Option(names = "--dashboard",
            description = "Serve the live dashboard (earshot dashboard) during the demo and print its address; "
                    + "with --realtime the audio plays at its own pace.")
    boolean dashboard;

    @Option(names = "--dashboard-port", paramLabel = "PORT", defaultValue = "8080",
            description = "With --dashboard: its HTTP port on 127.0.0.1, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(names = "--timeout-s", paramLabel = "SECONDS", defaultValue = "300",
            description = "Longest wait for the detector after the replay ended (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--mqtt", paramLabel = "URI", arity = "0..1", fallbackValue = "",
            description = "Also run the MQTT bridge (docs/mqtt.md): to URI (tcp://HOST:1883), or without URI to an "
                    + "embedded MQTT broker on 127.0.0.1:1883 (a free port when 1883 is taken) that lives as long as "
                    + "the demo.")
    String mqtt;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DemoConfig config = config();
        try (MetricsEndpoint metrics = common.startMetrics("demo")) {
            Demo.run(config, spec.commandLine().getOut(), metrics.registry());
        }
        return Main.EXIT_OK;
    }

    DemoConfig config() {
        Path audio = dataset != null ? dataset.audio : EarshotHome.resolve(DEMO_AUDIO);
        Path groundTruth = dataset != null ? dataset.groundTruth : EarshotHome.resolve(DEMO_GROUND_TRUTH);
        Path durations = dataset != null ? dataset.durations : EarshotHome.resolve(DEMO_DURATIONS);
        Pacing pacing = realtime ? Pacing.realTime() : Pacing.maxSpeed();
        return new DemoConfig(audio, groundTruth, durations, model.resolved(), pacing,
                chunkMillis > 0 ? chunkMillis : ReplayConfig.DEFAULT_CHUNK_MILLIS, !noEvents, json, workDir, keepData,
                Duration.ofSeconds(timeoutSeconds), mqtt, dashboard ? dashboardPort : null);
    }
}
