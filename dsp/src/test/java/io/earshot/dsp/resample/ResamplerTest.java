package io.earshot.dsp.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static float[] sine(int rate, double hz, double amplitude, int samples) {
        float[] x = new float[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    /**
     * Output sample n must equal the continuous sine at time n / outRate: this checks frequency,
     * amplitude and exact alignment (zero delay) at once.
     */
    @ParameterizedTest(name = "{0} Hz -> 16 kHz, {1} Hz tone")
    @CsvSource({"44100, 1000", "48000, 1000", "22050, 1000", "8000, 1000", "11025, 440", "32000, 5000",
            "44100, 7000", "96000, 3000", "16000, 1000", "8000, 3500"})
    void sineKeepsFrequencyAmplitudeAndPhase(int inRate, double hz) {
        int n = 2 * inRate;
        float[] out = Resampler.resample(sine(inRate, hz, 0.5, n), inRate, 16000);
        assertEquals(32000, out.length);
        int edge = 400; // the signal starts and stops abruptly; look at the steady state
        double maxErr = 0;
        for (int i = edge; i < out.length - edge; i++) {
            double expected = 0.5 * Math.sin(2 * Math.PI * hz * i / 16000);
            maxErr = Math.max(maxErr, Math.abs(out[i] - expected));
        }
        assertTrue(maxErr < 5e-5, "max deviation from the ideal sine " + maxErr);
    }

    @ParameterizedTest(name = "{0} Hz -> 16 kHz, {1} Hz tone is attenuated")
    @CsvSource({"44100, 8050", "44100, 9000", "44100, 12000", "44100, 20000", "48000, 8050", "48000, 15000",
            "22050, 8100", "22050, 10000", "32000, 8200", "96000, 40000"})
    void toneAboveTheNewNyquistIsAttenuatedBy60dB(int inRate, double hz) {
        float[] in = sine(inRate, hz, 1.0, inRate);
        float[] out = Resampler.resample(in, inRate, 16000);
        double db = 20 * Math.log10(rms(out, 400, out.length - 400) / rms(in, 0, in.length));
        assertTrue(db <= -60, hz + " Hz came through at " + db + " dB");
    }

    @Test
    void upsamplingSuppressesImages() {
        // A 3 kHz tone at 8 kHz upsampled to 16 kHz: its image at 5 kHz must not appear.
        float[] out = Resampler.resample(sine(8000, 3000, 1.0, 16000), 8000, 16000);
        double image = toneAmplitude(out, 16000, 5000, 400, out.length - 400);
        double tone = toneAmplitude(out, 16000, 3000, 400, out.length - 400);
        assertEquals(1.0, tone, 1e-3);
        assertTrue(20 * Math.log10(image) < -60, "image at " + 20 * Math.log10(image) + " dB");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"44100, 16000", "48000, 16000", "22050, 16000", "8000, 16000", "16000, 16000", "44100, 16001"})
    void chunkedInputGivesBitIdenticalOutput(int inRate, int outRate) {
        Random rnd = new Random(inRate + outRate);
        float[] in = new float[inRate + 123];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (rnd.nextGaussian() * 0.3);
        }
        float[] oneShot = Resampler.resample(in, inRate, outRate);
        Resampler r = new Resampler(inRate, outRate);
        float[] streamed = new float[0];
        int pos = 0;
        while (pos < in.length) {
            int len = Math.min(in.length - pos, rnd.nextInt(7) == 0 ? 0 : rnd.nextInt(rnd.nextBoolean() ? 5 : 3000) + 1);
            streamed = concat(streamed, r.process(in, pos, len));
            pos += len;
        }
        streamed = concat(streamed, r.flush());
        assertArrayEquals(oneShot, streamed);
        assertEquals(r.outputLengthFor(in.length), streamed.length);
    }

    @Test
    void outputCountIsCeilOfDurationTimesRate() {
        for (int n : new int[] {0, 1, 2, 440, 441, 442, 88200, 88201}) {
            float[] out = Resampler.resample(new float[n], 44100, 16000);
            assertEquals((long) Math.ceil(n * 16000.0 / 44100), out.length, "n=" + n);
        }
    }

    @Test
    void outputsWaitForLookAheadOnly() {
        Resampler r = new Resampler(48000, 16000);
        int look = r.lookAheadInputSamples();
        float[] out = r.process(new float[3 * 100 + look]);
        // Outputs 0..100 are at inputs 0, 3, ..., 300; the one at 300 needs inputs up to 300 + look.
        assertEquals(100, out.length);
        assertEquals(1, r.process(new float[1]).length);
        assertTrue(r.taps() > 100 && r.taps() < 400, "taps " + r.taps());
    }

    @Test
    void impulseLandsOnTheOutputSampleAtTheSameInstant() {
        float[] in = new float[48000];
        in[3 * 5000] = 1f; // input sample 15000 at 48 kHz is output sample 5000 at 16 kHz
        float[] out = Resampler.resample(in, 48000, 16000);
        int peak = 0;
        for (int i = 1; i < out.length; i++) {
            if (out[i] > out[peak]) {
                peak = i;
            }
        }
        assertEquals(5000, peak);
        for (int k = 1; k < 50; k++) {
            assertEquals(out[peak - k], out[peak + k], 1e-7, "symmetric around the impulse at offset " + k);
        }
    }

    @Test
    void refusesInputAfterFlushAndBadRates() {
        Resampler r = new Resampler(44100, 16000);
        r.flush();
        assertThrows(IllegalStateException.class, () -> r.process(new float[1]));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(0, 16000));
    }

    static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i] * (double) x[i];
        }
        return Math.sqrt(s / (to - from));
    }

    /** Amplitude of the component at {@code hz}, by projection on sine and cosine. */
    static double toneAmplitude(float[] x, int rate, double hz, int from, int to) {
        double c = 0;
        double s = 0;
        for (int i = from; i < to; i++) {
            c += x[i] * Math.cos(2 * Math.PI * hz * i / rate);
            s += x[i] * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.hypot(c, s) / (to - from);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
