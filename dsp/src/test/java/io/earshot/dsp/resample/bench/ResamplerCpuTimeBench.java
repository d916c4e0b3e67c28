package io.earshot.dsp.resample.bench;

import io.earshot.dsp.resample.Resampler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Resampler speed in thread CPU time (robust on a shared machine) and a side-by-side with javax.sound's
 * converter (linear and sinc interpolation) on what matters for Earshot: aliasing of a tone above the
 * new Nyquist, level of an in-band tone, alignment of an impulse, and output length.
 *
 * <p>Usage: {@code ResamplerCpuTimeBench [secondsPerRound [rounds]]} (defaults 600, 5).
 */
public final class ResamplerCpuTimeBench {

    private ResamplerCpuTimeBench() {
    }

    public static void main(String[] args) throws IOException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        System.out.println("== speed: streaming to 16 kHz in 100 ms chunks, thread CPU time, " + seconds + " s of audio x " + rounds + " rounds");
        for (int rate : new int[] {44100, 48000, 22050, 8000}) {
            float[] chunk = noise(rate / 10, rate);
            double[] factors = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                Resampler res = new Resampler(rate, 16_000);
                long t0 = bean.getCurrentThreadCpuTime();
                long out = 0;
                for (int i = 0; i < seconds * 10; i++) {
                    out += res.process(chunk).length;
                }
                double cpu = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
                factors[r] = seconds / cpu;
                if (out < (long) seconds * 16_000 - 1000) {
                    throw new AssertionError("short output " + out);
                }
            }
            Arrays.sort(factors);
            System.out.printf("%6d Hz -> 16 kHz: %5d taps, median %,.0f x real time per core (rounds %,.0f..%,.0f)%n", rate,
                    new Resampler(rate, 16_000).taps(), factors[rounds / 2], factors[0], factors[rounds - 1]);
        }

        System.out.println("== quality at 44.1 kHz -> 16 kHz (16-bit input for javax.sound, float for Earshot)");
        System.out.printf("%-22s %14s %14s %14s %14s %10s%n", "converter", "1 kHz level", "8.5 kHz alias", "12 kHz alias",
                "impulse shift", "length");
        for (String name : new String[] {"earshot Resampler", "javax.sound linear", "javax.sound sinc"}) {
            double inBand = level(convert(name, tone(44100, 1000, 2)), 16000, 1000);
            double alias85 = level(convert(name, tone(44100, 8500, 2)), 16000, 7500);
            double alias12 = level(convert(name, tone(44100, 12000, 2)), 16000, 4000);
            float[] impulse = new float[88200];
            impulse[44100] = 0.9f; // input t = 1 s -> output sample 16000
            float[] y = convert(name, impulse);
            int peak = 0;
            for (int i = 1; i < y.length; i++) {
                if (Math.abs(y[i]) > Math.abs(y[peak])) {
                    peak = i;
                }
            }
            System.out.printf("%-22s %11.2f dB %11.1f dB %11.1f dB %+11d sm %10d%n", name, db(inBand), db(alias85), db(alias12),
                    peak - 16000, y.length);
        }
    }

    private static float[] convert(String name, float[] x) throws IOException {
        if (name.startsWith("earshot")) {
            return Resampler.resample(x, 44100, 16000);
        }
        String interpolation = name.endsWith("sinc") ? "sinc" : "linear";
        ByteBuffer b = ByteBuffer.allocate(x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            b.putShort((short) Math.round(v * 32767));
        }
        AudioFormat src = new AudioFormat(44100, 16, 1, true, false);
        AudioFormat dst = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 16000, 16, 1, 2, 16000, false,
                Map.of("interpolation", interpolation));
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(b.array()), src, x.length);
             AudioInputStream out = AudioSystem.getAudioInputStream(dst, in)) {
            byte[] bytes = out.readAllBytes();
            ByteBuffer o = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            float[] y = new float[bytes.length / 2];
            for (int i = 0; i < y.length; i++) {
                y[i] = o.getShort() / 32768f;
            }
            return y;
        }
    }

    private static float[] tone(int rate, double hz, double seconds) {
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    /** Amplitude relative to 0.5 of the component at hz, over the middle of the signal. */
    private static double level(float[] y, int rate, double hz) {
        int from = y.length / 8;
        int to = y.length - y.length / 8;
        double c = 0;
        double s = 0;
        for (int i = from; i < to; i++) {
            c += y[i] * Math.cos(2 * Math.PI * hz * i / rate);
            s += y[i] * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.hypot(c, s) / (to - from) / 0.5;
    }

    private static double db(double ratio) {
        return 20 * Math.log10(Math.max(ratio, 1e-12));
    }

    private static float[] noise(int n, int seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.3 * rnd.nextGaussian());
        }
        return x;
    }
}
