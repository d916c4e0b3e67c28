package io.earshot.dsp.resample.bench;

import io.earshot.dsp.resample.Resampler;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Resampler throughput on one thread, for docs/ingest.md: one second of input audio at {@code inRate}
 * streamed to 16 kHz in 100 ms chunks. The score (ops/s) is the real-time factor per core.
 * Run: see docs/ingest.md ("Resampler benchmark").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class ResamplerBenchmark {

    @Param({"44100", "48000", "22050", "8000"})
    public int inRate;

    private Resampler resampler;
    private float[][] chunks;

    @Setup(Level.Trial)
    public void setUp() {
        resampler = new Resampler(inRate, 16_000);
        Random rnd = new Random(1);
        int chunk = inRate / 10;
        chunks = new float[10][chunk];
        for (float[] c : chunks) {
            for (int i = 0; i < c.length; i++) {
                c[i] = (float) (0.3 * rnd.nextGaussian());
            }
        }
    }

    @Benchmark
    public int oneSecondInTenChunks() {
        int n = 0;
        for (float[] c : chunks) {
            n += resampler.process(c).length;
        }
        return n;
    }
}
