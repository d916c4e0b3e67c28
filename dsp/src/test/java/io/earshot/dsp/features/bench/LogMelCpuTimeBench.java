package io.earshot.dsp.features.bench;

import io.earshot.dsp.features.LogMelExtractor;
import io.earshot.dsp.features.LogMelSpec;
import io.earshot.dsp.features.StreamingFramer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * Streaming feature extraction measured in CPU time of the benchmark thread, not wall time: on a
 * shared, loaded machine (2 cores, a training run beside it) wall-clock benchmarks mostly measure the
 * neighbours, while thread CPU time measures the work. Complements {@link LogMelBenchmark} (JMH, wall).
 *
 * <p>Pushes 16 kHz audio in 100 ms chunks through StreamingFramers for several rounds and prints the
 * real-time factor per core (audio seconds per CPU-second). With one source it measures the framer
 * alone. With N sources it plays them round-robin, one chunk each in turn, as the detector's stream
 * thread sees them, and compares in the same run, round by round, two peers: every framer with its
 * own {@link LogMelExtractor} ("per-source") and all framers sharing one ("shared", what the detector
 * does). Run: see docs/features.md ("Benchmark").
 *
 * <p>Arguments: [audio seconds per source and round, default 600] [rounds, default 7] [sources, default 1].
 */
public final class LogMelCpuTimeBench {

    private static final int RATE = 16_000;
    private static final int CHUNK = RATE / 10;

    private LogMelCpuTimeBench() {
    }

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int sources = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        float[][] chunks = chunksOf(testAudio());
        LogMelSpec spec = LogMelSpec.earshotV1Unnormalised();
        double[] perSource = new double[rounds];
        double[] shared = new double[rounds];
        for (int r = -2; r < rounds; r++) { // two warm-up rounds
            double a = round(seconds, chunks, framers(spec, sources, false));
            double b = sources > 1 ? round(seconds, chunks, framers(spec, sources, true)) : a;
            if (r >= 0) {
                perSource[r] = a;
                shared[r] = b;
                if (sources > 1) {
                    System.out.printf("round %d: %d sources, per-source extractors %.0f x real time per core, shared %.0f x (%.2fx)%n",
                            r, sources, a, b, b / a);
                } else {
                    System.out.printf("round %d: %.0f x real time per core (%.0f frames/CPU-s)%n", r, a, a * RATE / 256.0);
                }
            }
        }
        double medianA = median(perSource);
        double medianB = median(shared);
        if (sources > 1) {
            System.out.printf("median real-time factor per core, %d sources: per-source extractors %.0f x, shared %.0f x; "
                    + "shared / per-source %.2fx%n", sources, medianA, medianB, medianB / medianA);
        } else {
            System.out.printf("median real-time factor per core: %.0f x (%.0f frames/CPU-s); min %.0f, max %.0f%n",
                    medianA, medianA * RATE / 256.0, Arrays.stream(perSource).min().orElse(0),
                    Arrays.stream(perSource).max().orElse(0));
        }
    }

    /** Audio seconds per CPU second of pushing `seconds` of audio through every framer, chunk by chunk in turn. */
    private static double round(int seconds, float[][] chunks, StreamingFramer[] framers) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] next = new long[framers.length];
        long frames = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (int s = 0; s < seconds; s += 10) {
            for (float[] c : chunks) {
                for (int f = 0; f < framers.length; f++) {
                    frames += framers[f].push(next[f], c).size();
                    next[f] += c.length;
                }
            }
        }
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        if (frames == 0) {
            throw new IllegalStateException("no frames made");
        }
        return (double) seconds * framers.length / cpu;
    }

    private static StreamingFramer[] framers(LogMelSpec spec, int n, boolean shareExtractor) {
        LogMelExtractor one = new LogMelExtractor(spec);
        StreamingFramer[] framers = new StreamingFramer[n];
        for (int i = 0; i < n; i++) {
            framers[i] = new StreamingFramer(spec, shareExtractor ? one : new LogMelExtractor(spec));
        }
        return framers;
    }

    private static float[] testAudio() {
        float[] audio = new float[RATE * 10];
        Random rnd = new Random(1);
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / RATE) + 0.1 * rnd.nextGaussian());
        }
        return audio;
    }

    private static float[][] chunksOf(float[] audio) {
        float[][] chunks = new float[audio.length / CHUNK][];
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = Arrays.copyOfRange(audio, c * CHUNK, (c + 1) * CHUNK);
        }
        return chunks;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
