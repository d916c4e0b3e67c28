package io.earshot.launcher;

import io.earshot.telemetry.MetricsEndpoint;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/** Options every command has (a picocli mixin). */
public final class CommonOptions {

    @Option(names = {"-v", "--verbose"}, description = "Debug logging and full stack traces on errors.")
    boolean verbose;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics on this port at /metrics (0 = any free port; default: off).")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address the metrics endpoint listens on: 127.0.0.1 keeps it on this machine "
                    + "(default: ${DEFAULT-VALUE}, every interface).")
    String metricsBind = "0.0.0.0";

    public boolean verbose() {
        return verbose;
    }

    /** The metrics registry of {@code service}, served over HTTP when {@code --metrics-port} was given. */
    public MetricsEndpoint startMetrics(String service) {
        return metricsPort == null ? MetricsEndpoint.withoutHttp(service)
                : MetricsEndpoint.start(service, metricsBind, metricsPort);
    }

    /** The metrics port, empty when no metrics endpoint was asked for. */
    public OptionalInt metricsPort() {
        return metricsPort == null ? OptionalInt.empty() : OptionalInt.of(metricsPort);
    }
}
