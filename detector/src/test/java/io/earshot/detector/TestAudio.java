package io.earshot.detector;

import io.earshot.dsp.wav.WavReader;
import io.earshot.protocol.AudioChunk;
import io.earshot.protocol.AudioChunkCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test audio: a scene made of the golden recordings (speech, alarm, blast) over low noise, and ways to chunk it. */
public final class TestAudio {

    public static final int RATE = 16000;

    private TestAudio() {
    }

    /**
     * About {@code seconds} of 16 kHz audio: low pink-ish noise with the golden recordings placed at
     * fixed times (synthetic tones and noise bursts when the golden files are absent). Deterministic.
     */
    public static float[] scene(double seconds) {
        int n = (int) Math.round(seconds * RATE);
        float[] x = new float[n];
        Random rng = new Random(42);
        double b = 0;
        for (int i = 0; i < n; i++) {
            b = 0.97 * b + 0.03 * rng.nextGaussian();
            x[i] = (float) (0.01 * b);
        }
        List<float[]> clips = goldenClips();
        int at = RATE;
        int k = 0;
        while (at < n - RATE) {
            float[] clip = clips.get(k % clips.size());
            for (int i = 0; i < clip.length && at + i < n; i++) {
                x[at + i] += clip[i];
            }
            at += clip.length + RATE + (k % 3) * RATE / 2;
            k++;
        }
        for (int i = 0; i < n; i++) {
            x[i] = Math.max(-1f, Math.min(1f, x[i]));
        }
        return x;
    }

    private static List<float[]> goldenClips() {
        Path golden = TestModels.repoRoot().resolve("models").resolve("golden");
        List<float[]> clips = new ArrayList<>();
        for (String name : new String[] {"speech.wav", "speech_silence_alarm.wav", "transient.wav"}) {
            Path p = golden.resolve(name);
            if (Files.isRegularFile(p)) {
                try {
                    clips.add(WavReader.readMono(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        if (clips.isEmpty()) {
            clips.add(tone(1000, 1.5, 0.3));
            clips.add(tone(3000, 0.8, 0.5));
        }
        return clips;
    }

    static float[] tone(double hz, double seconds, double amplitude) {
        float[] t = new float[(int) (seconds * RATE)];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return t;
    }

    /** Cuts audio into chunks of the given sizes (cycled), PCM16, sequence from 0, then an end-of-stream chunk. */
    public static List<AudioChunk> chunks(String stream, float[] audio, int[] sizes, long sampleZeroMicros,
                                          boolean endOfStream) {
        List<AudioChunk> out = new ArrayList<>();
        int pos = 0;
        long seq = 0;
        int i = 0;
        while (pos < audio.length) {
            int len = Math.min(sizes[i++ % sizes.length], audio.length - pos);
            long capture = sampleZeroMicros + Math.round(pos * 1e6 / RATE);
            out.add(AudioChunk.ofMonoPcm16(stream, seq++, pos, capture, RATE, audio, pos, len));
            pos += len;
        }
        if (endOfStream) {
            out.add(AudioChunk.endOfStream(stream, seq, pos, sampleZeroMicros + Math.round(pos * 1e6 / RATE), RATE));
        }
        return out;
    }

    public static List<AudioChunk> chunks(String stream, float[] audio, int size) {
        return chunks(stream, audio, new int[] {size}, 1_700_000_000_000_000L, true);
    }

    /** Random chunk sizes between 1 and 20000 samples. */
    public static int[] randomSizes(long seed) {
        Random r = new Random(seed);
        int[] sizes = new int[500];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 1 + r.nextInt(r.nextBoolean() ? 400 : 20000);
        }
        return sizes;
    }

    public static byte[] encode(AudioChunk chunk) {
        return AudioChunkCodec.encode(chunk);
    }
}
