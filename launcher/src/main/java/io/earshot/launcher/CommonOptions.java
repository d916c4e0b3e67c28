package io.earshot.launcher;

import java.util.OptionalInt;
import picocli.CommandLine.Option;

/** Options every command has (a picocli mixin). */
public final class CommonOptions {

    @Option(names = {"-v", "--verbose"}, description = "Debug logging and full stack traces on errors.")
    boolean verbose;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics on this port at /metrics (0 = any free port; default: off).")
    Integer metricsPort;

    public boolean verbose() {
        return verbose;
    }

    /** The metrics port, empty when no metrics endpoint was asked for. */
    public OptionalInt metricsPort() {
        return metricsPort == null ? OptionalInt.empty() : OptionalInt.of(metricsPort);
    }
}
