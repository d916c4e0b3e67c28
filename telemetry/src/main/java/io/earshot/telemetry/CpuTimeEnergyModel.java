package io.earshot.telemetry;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.function.LongSupplier;

/**
 * Energy estimated from this process's CPU time, for machines without readable RAPL counters.
 *
 * <pre>
 *   joules = cpu_seconds x wattsPerCore  +  integral of (committed_GiB x memoryWattsPerGib) dt
 * </pre>
 * where cpu_seconds is the process CPU time (all threads, user + system) from the
 * OperatingSystemMXBean and committed_GiB is the JVM's committed heap + non-heap memory, sampled at
 * each reading. It follows the spirit of CodeCarbon's fallback (CPU power scaled by load, memory at
 * a fixed power per GB) but charges only this process, not the whole machine.
 */
public final class CpuTimeEnergyModel implements EnergyMeter {

    private static final double GIB = 1024.0 * 1024 * 1024;

    private final double wattsPerCore;
    private final double memoryWattsPerGib;
    private final LongSupplier cpuNanos;
    private final LongSupplier wallNanos;
    private final LongSupplier committedBytes;
    private final long cpuAtStart;
    private long lastWall;
    private double memoryJoules;

    /** The model for this JVM process. */
    public CpuTimeEnergyModel(double wattsPerCore, double memoryWattsPerGib) {
        this(wattsPerCore, memoryWattsPerGib, CpuTimeEnergyModel::processCpuNanos, System::nanoTime,
                CpuTimeEnergyModel::jvmCommittedBytes);
    }

    /** The model over arbitrary clocks (tests). */
    CpuTimeEnergyModel(double wattsPerCore, double memoryWattsPerGib, LongSupplier cpuNanos, LongSupplier wallNanos,
                       LongSupplier committedBytes) {
        if (!(wattsPerCore >= 0) || !(memoryWattsPerGib >= 0)) {
            throw new IllegalArgumentException("model powers must be >= 0 W");
        }
        this.wattsPerCore = wattsPerCore;
        this.memoryWattsPerGib = memoryWattsPerGib;
        this.cpuNanos = cpuNanos;
        this.wallNanos = wallNanos;
        this.committedBytes = committedBytes;
        this.cpuAtStart = cpuNanos.getAsLong();
        this.lastWall = wallNanos.getAsLong();
    }

    /** Process CPU time in nanoseconds, all threads. */
    public static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long t = sun.getProcessCpuTime();
            if (t >= 0) {
                return t;
            }
        }
        throw new IllegalStateException("this JVM does not report process CPU time; the CPU-time energy model needs it");
    }

    private static long jvmCommittedBytes() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        return mem.getHeapMemoryUsage().getCommitted() + mem.getNonHeapMemoryUsage().getCommitted();
    }

    @Override
    public String method() {
        return "cpu-model";
    }

    @Override
    public synchronized double joules() {
        long wall = wallNanos.getAsLong();
        memoryJoules += committedBytes.getAsLong() / GIB * memoryWattsPerGib * ((wall - lastWall) / 1e9);
        lastWall = wall;
        double cpuSeconds = (cpuNanos.getAsLong() - cpuAtStart) / 1e9;
        return cpuSeconds * wattsPerCore + memoryJoules;
    }

    @Override
    public String describe() {
        return String.format(java.util.Locale.ROOT, "CPU-time model: %.2f W per busy core + %.3f W per committed GiB",
                wattsPerCore, memoryWattsPerGib);
    }
}
