package io.earshot.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CpuTimeEnergyModelTest {

    @Test
    void joulesAreProcessCpuSecondsTimesWattsPerCore() {
        double wattsPerCore = 12.5;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuBefore = CpuTimeEnergyModel.processCpuNanos();
        CpuTimeEnergyModel model = new CpuTimeEnergyModel(wattsPerCore, 0.0);
        long threadBefore = threads.getCurrentThreadCpuTime();

        long sink = burnCpu(400_000_000L);

        long threadBurned = threads.getCurrentThreadCpuTime() - threadBefore;
        double joules = model.joules();
        long cpuAfter = CpuTimeEnergyModel.processCpuNanos();

        double processCpuSeconds = (cpuAfter - cpuBefore) / 1e9;
        assertTrue(sink != 42, "keeps the burn loop alive");
        assertTrue(threadBurned > 300_000_000L, "the loop burned " + threadBurned + " ns of CPU");
        // The model's readings lie inside [cpuBefore, cpuAfter]: its joules are at most the
        // measured process CPU times the power, and at least what this thread burned.
        assertTrue(joules <= processCpuSeconds * wattsPerCore + 1e-9,
                joules + " J > " + processCpuSeconds + " s x " + wattsPerCore + " W");
        // Process CPU time is read from the OS in scheduler ticks (often 10 ms), thread CPU time
        // exactly, so the process figure may trail the thread's by up to a tick or two.
        double tickSlackSeconds = 0.02;
        assertTrue(joules >= (threadBurned / 1e9 - tickSlackSeconds) * wattsPerCore,
                joules + " J < burned " + threadBurned / 1e9 + " s x " + wattsPerCore + " W");
        // and GC/JIT threads add little besides: within 25 % of the process measurement
        assertEquals(processCpuSeconds * wattsPerCore, joules, 0.25 * processCpuSeconds * wattsPerCore);
        assertEquals("cpu-model", model.method());
    }

    @Test
    void memoryPowerIsIntegratedOverWallTimeAtCommittedSize() {
        AtomicLong cpu = new AtomicLong(5_000_000_000L);
        AtomicLong wall = new AtomicLong(0);
        AtomicLong committed = new AtomicLong(2L << 30); // 2 GiB
        CpuTimeEnergyModel model = new CpuTimeEnergyModel(10.0, 0.375, cpu::get, wall::get, committed::get);

        wall.addAndGet(10_000_000_000L);   // 10 s at 2 GiB: 7.5 J
        cpu.addAndGet(1_500_000_000L);     // 1.5 CPU s at 10 W: 15 J
        assertEquals(22.5, model.joules(), 1e-9);

        committed.set(4L << 30);           // 4 GiB for the next 2 s: 3 J
        wall.addAndGet(2_000_000_000L);
        assertEquals(25.5, model.joules(), 1e-9);
    }

    /** Spins integer arithmetic until this thread has used {@code nanos} of CPU. */
    private static long burnCpu(long nanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long x = 1;
        while (threads.getCurrentThreadCpuTime() - start < nanos) {
            for (int i = 0; i < 100_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        return x;
    }
}
