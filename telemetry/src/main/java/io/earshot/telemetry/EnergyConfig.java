package io.earshot.telemetry;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a process measures and reports its energy.
 *
 * @param instanceId          the reporting instance (key of earshot.energy records)
 * @param reportInterval      how often a report is published
 * @param gridGramsCo2ePerKwh grid carbon intensity used for the emissions estimate
 * @param preferRapl          use RAPL counters when readable (false forces the CPU-time model)
 * @param powercapRoot        directory holding the intel-rapl* zones (normally /sys/class/powercap)
 * @param wattsPerCore        CPU-time model: power of one fully busy core
 * @param memoryWattsPerGib   CPU-time model: power per GiB of memory the JVM has committed
 */
public record EnergyConfig(
        String instanceId,
        Duration reportInterval,
        double gridGramsCo2ePerKwh,
        boolean preferRapl,
        Path powercapRoot,
        double wattsPerCore,
        double memoryWattsPerGib) {

    /** Linux powercap sysfs directory. */
    public static final Path DEFAULT_POWERCAP_ROOT = Path.of("/sys/class/powercap");
    /**
     * Default power of one busy core: a typical 85 W, 8-core server CPU at full load (CodeCarbon's
     * fallback TDP is 85 W for an unknown CPU), so about 10.6 W per core.
     */
    public static final double DEFAULT_WATTS_PER_CORE = 85.0 / 8;
    /** CodeCarbon's memory rule of thumb: 3 W per 8 GB, i.e. 0.375 W per GiB. */
    public static final double DEFAULT_MEMORY_WATTS_PER_GIB = 3.0 / 8;
    /** World average grid intensity (Ember 2023, about 480 gCO2e/kWh). */
    public static final double DEFAULT_GRID_G_CO2E_PER_KWH = 480.0;
    public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(10);

    public EnergyConfig {
        if (instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("energy instance id must not be blank");
        }
        if (reportInterval == null || reportInterval.isNegative() || reportInterval.isZero()) {
            throw new IllegalArgumentException("energy report interval must be positive, got " + reportInterval);
        }
        if (!(gridGramsCo2ePerKwh >= 0)) {
            throw new IllegalArgumentException("grid intensity must be >= 0 gCO2e/kWh, got " + gridGramsCo2ePerKwh);
        }
        if (!(wattsPerCore >= 0) || !(memoryWattsPerGib >= 0)) {
            throw new IllegalArgumentException("model powers must be >= 0 W, got " + wattsPerCore + " W/core, "
                    + memoryWattsPerGib + " W/GiB");
        }
        if (powercapRoot == null) {
            powercapRoot = DEFAULT_POWERCAP_ROOT;
        }
    }

    /** Defaults for one instance: RAPL if readable, 10 s reports, world-average grid. */
    public static EnergyConfig defaults(String instanceId) {
        return new EnergyConfig(instanceId, DEFAULT_REPORT_INTERVAL, DEFAULT_GRID_G_CO2E_PER_KWH, true,
                DEFAULT_POWERCAP_ROOT, DEFAULT_WATTS_PER_CORE, DEFAULT_MEMORY_WATTS_PER_GIB);
    }

    public EnergyConfig withReportInterval(Duration interval) {
        return new EnergyConfig(instanceId, interval, gridGramsCo2ePerKwh, preferRapl, powercapRoot, wattsPerCore,
                memoryWattsPerGib);
    }

    public EnergyConfig withGridIntensity(double gramsPerKwh) {
        return new EnergyConfig(instanceId, reportInterval, gramsPerKwh, preferRapl, powercapRoot, wattsPerCore,
                memoryWattsPerGib);
    }

    /** Forces the CPU-time model with the given powers. */
    public EnergyConfig withCpuModel(double wattsPerCore, double memoryWattsPerGib) {
        return new EnergyConfig(instanceId, reportInterval, gridGramsCo2ePerKwh, false, powercapRoot, wattsPerCore,
                memoryWattsPerGib);
    }

    public EnergyConfig withPowercapRoot(Path root) {
        return new EnergyConfig(instanceId, reportInterval, gridGramsCo2ePerKwh, true, root, wattsPerCore,
                memoryWattsPerGib);
    }
}
