package io.earshot.dsp.features.bench;

import io.earshot.dsp.features.LogMelSpec;
import io.earshot.dsp.features.StreamingFramer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Streaming feature extraction measured in CPU time of the benchmark thread, not wall time: on a
 * shared, loaded machine (2 cores, a training run beside it) wall-clock benchmarks mostly measure the
 * neighbours, while thread CPU time measures the work. Complements {@link LogMelBenchmark} (JMH, wall).
 *
 * <p>Pushes 16 kHz audio in 100 ms chunks through a StreamingFramer for several rounds and prints
 * frames per CPU-second and the real-time factor per core (audio seconds per CPU-second).
 * Run: see docs/features.md ("Benchmark").
 */
public final class LogMelCpuTimeBench {

    private LogMelCpuTimeBench() {
    }

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int rate = 16_000;
        int chunk = rate / 10;
        float[] audio = new float[rate * 10];
        Random rnd = new Random(1);
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / rate) + 0.1 * rnd.nextGaussian());
        }
        float[][] chunks = new float[audio.length / chunk][];
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = java.util.Arrays.copyOfRange(audio, c * chunk, (c + 1) * chunk);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StreamingFramer framer = new StreamingFramer(LogMelSpec.earshotV1Unnormalised());
        long next = 0;
        double[] rtf = new double[rounds];
        for (int r = -2; r < rounds; r++) { // two warm-up rounds
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            long frames = 0;
            for (int s = 0; s < seconds; s += 10) {
                for (float[] c : chunks) {
                    frames += framer.push(next, c).size();
                    next += c.length;
                }
            }
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            double wall = (System.nanoTime() - wall0) / 1e9;
            if (r >= 0) {
                rtf[r] = seconds / cpu;
                System.out.printf("round %d: %d frames, %.3f s CPU (%.3f s wall): %.0f frames/CPU-s, %.0f x real time per core%n",
                        r, frames, cpu, wall, frames / cpu, seconds / cpu);
            }
        }
        java.util.Arrays.sort(rtf);
        System.out.printf("median real-time factor per core: %.0f x (%.0f frames/CPU-s); min %.0f, max %.0f%n",
                rtf[rounds / 2], rtf[rounds / 2] * rate / 256.0, rtf[0], rtf[rounds - 1]);
    }
}
