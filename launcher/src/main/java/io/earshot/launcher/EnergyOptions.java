package io.earshot.launcher;

import io.earshot.telemetry.EnergyConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a process measures its energy (a picocli mixin for commands that publish energy reports).
 * Every option can also come from the environment or a --config file like any other option.
 */
public final class EnergyOptions {

    /** Which meter to use. */
    public enum Method { AUTO, CPU_MODEL }

    @Option(names = "--energy-method", paramLabel = "auto|cpu_model", defaultValue = "auto",
            description = "auto: RAPL counters when readable, else the CPU-time model; "
                    + "cpu_model: always the model (default: ${DEFAULT-VALUE}).")
    Method method = Method.AUTO;

    @Option(names = "--grid-intensity", paramLabel = "G_PER_KWH",
            description = "Grid carbon intensity for the gCO2e estimate (default: 480, the world average).")
    Double gridIntensity;

    @Option(names = "--watts-per-core", paramLabel = "WATTS",
            description = "CPU-time model: power of one fully busy core (default: 10.625 = 85 W / 8 cores).")
    Double wattsPerCore;

    @Option(names = "--memory-watts-per-gib", paramLabel = "WATTS",
            description = "CPU-time model: power per GiB of committed JVM memory (default: 0.375 = 3 W per 8 GB).")
    Double memoryWattsPerGib;

    @Option(names = "--powercap-root", paramLabel = "DIR",
            description = "Where the RAPL powercap zones are (default: /sys/class/powercap).")
    Path powercapRoot;

    /** {@code base} with the options given on the command line applied. */
    public EnergyConfig apply(EnergyConfig base) {
        return new EnergyConfig(base.instanceId(), base.reportInterval(),
                gridIntensity != null ? gridIntensity : base.gridGramsCo2ePerKwh(),
                method != Method.CPU_MODEL,
                powercapRoot != null ? powercapRoot : base.powercapRoot(),
                wattsPerCore != null ? wattsPerCore : base.wattsPerCore(),
                memoryWattsPerGib != null ? memoryWattsPerGib : base.memoryWattsPerGib());
    }
}
