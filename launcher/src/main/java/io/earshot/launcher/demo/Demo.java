package io.earshot.launcher.demo;

import io.earshot.launcher.StopSignals;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** {@code earshot demo} from start to end: check the inputs, run the pipeline, evaluate, report, clean up. */
public final class Demo {

    private Demo() {
    }

    /** Runs the demo and returns its report; throws with a clear message when an input is missing or a part fails. */
    public static DemoReportView run(DemoConfig config, PrintWriter out, MeterRegistry registry) throws Exception {
        requireInputs(config);
        long t0 = System.nanoTime();
        // Ctrl-C stops the run; its finally blocks stop the services and delete the temporary data.
        DemoStop stop = new DemoStop(Thread.currentThread());
        StopSignals signals = StopSignals.install(stop::request);
        try {
            return runIn(config, out, registry, stop, t0);
        } finally {
            signals.close();
        }
    }

    private static DemoReportView runIn(DemoConfig config, PrintWriter out, MeterRegistry registry, DemoStop stop,
                                        long t0) throws Exception {
        try (DemoWorkspace workspace = DemoWorkspace.create(config.workDir(), config.keepData())) {
            DemoRun run = DemoPipeline.run(config, workspace, out, registry, stop);
            if (!run.replay().failures().isEmpty()) {
                throw new IllegalStateException(run.replay().failures().size() + " file(s) could not be replayed: "
                        + run.replay().failures().stream().map(Object::toString).collect(Collectors.joining("; ")));
            }
            DemoEvaluation evaluation = DemoEvaluation.of(config, run);
            DemoReport report = new DemoReport(run, evaluation, (System.nanoTime() - t0) / 1e9);
            report.print(out);
            if (config.json() != null) {
                report.writeJson(config.json());
                out.println("JSON report written to " + config.json());
            }
            if (workspace.kept()) {
                out.println("Temporary data kept in " + workspace.root());
            }
            out.flush();
            return new DemoReportView(report);
        }
    }

    private static void requireInputs(DemoConfig config) {
        requireExists(config.audio(), "demo audio");
        requireExists(config.groundTruth(), "ground truth");
        requireExists(config.durations(), "durations file");
        requireExists(config.model(), "model");
    }

    private static void requireExists(Path path, String what) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(what + " not found: " + path.toAbsolutePath().normalize()
                    + " (run from the repository root, or give its path)");
        }
    }
}
