package io.earshot.telemetry;

/**
 * A source of cumulative energy: joules spent since the meter was created. Implementations are
 * thread-safe; the difference between two readings is the energy of the interval between them.
 */
public interface EnergyMeter {

    /** "rapl" or "cpu-model", as written into {@link io.earshot.protocol.EnergyReport#method()}. */
    String method();

    /** Joules spent since this meter was created (monotonic non-decreasing). */
    double joules();

    /** A one-line description for the log (domains read, or model parameters). */
    String describe();

    /**
     * RAPL when the powercap counters under {@code config.powercapRoot()} are readable, otherwise the
     * CPU-time model with the configured powers.
     */
    static EnergyMeter detect(EnergyConfig config) {
        if (config.preferRapl()) {
            var rapl = RaplEnergyMeter.open(config.powercapRoot());
            if (rapl.isPresent()) {
                return rapl.get();
            }
        }
        return new CpuTimeEnergyModel(config.wattsPerCore(), config.memoryWattsPerGib());
    }
}
