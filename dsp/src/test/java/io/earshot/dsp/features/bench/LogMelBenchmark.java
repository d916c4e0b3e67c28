package io.earshot.dsp.features.bench;

import io.earshot.dsp.features.LogMelExtractor;
import io.earshot.dsp.features.LogMelFrame;
import io.earshot.dsp.features.LogMelSpec;
import io.earshot.dsp.features.StreamingFramer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Feature-extraction throughput on one thread, for docs/features.md.
 *
 * <ul>
 *   <li>{@code frame}: one Earshot v1 frame (1024-point window, FFT, 64 mels, log, normalise).
 *       Frames per second = the score; 16 kHz audio needs 62.5 frames per second of audio.</li>
 *   <li>{@code streamOneSecond}: one second of 16 kHz audio pushed through a {@link StreamingFramer} in
 *       100 ms chunks (62.5 frames), allocation of the frame arrays included. The score (ops/s) is
 *       directly the real-time factor per core.</li>
 * </ul>
 * Run: see docs/features.md ("Benchmark").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class LogMelBenchmark {

    private static final int RATE = 16_000;

    private LogMelExtractor extractor;
    private StreamingFramer framer;
    private float[] audio;
    private float[][] chunks;
    private float[] out;
    private int frameStart;
    private long nextSample;

    @Setup(Level.Trial)
    public void setUp() {
        LogMelSpec spec = LogMelSpec.earshotV1Unnormalised();
        extractor = new LogMelExtractor(spec);
        framer = new StreamingFramer(spec);
        Random rnd = new Random(1);
        audio = new float[RATE * 4];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / RATE) + 0.1 * rnd.nextGaussian());
        }
        chunks = new float[10][];
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = java.util.Arrays.copyOfRange(audio, c * RATE / 10, (c + 1) * RATE / 10);
        }
        out = new float[spec.nMels()];
    }

    @Benchmark
    public float[] frame() {
        extractor.extract(audio, frameStart, null, out);
        frameStart = (frameStart + 256) % (audio.length - 1024);
        return out;
    }

    @Benchmark
    public int streamOneSecond() {
        int frames = 0;
        for (float[] chunk : chunks) {
            List<LogMelFrame> done = framer.push(nextSample, chunk);
            nextSample += chunk.length;
            frames += done.size();
        }
        return frames;
    }
}
