package io.earshot.dsp.features;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Computes log-mel frames exactly as a {@link LogMelSpec} defines them, one frame at a time, from
 * {@code samples[start, start + winLength)}.
 *
 * <p>All arithmetic is in double precision (window, FFT, power, mel projection, log); only the results
 * are stored as floats. That keeps the features within ~1e-6 of a double-precision numpy reference,
 * far inside the 1e-3 the golden test allows, and costs little: the FFT is a small part of the time.
 *
 * <p><b>Not thread-safe:</b> an instance owns its FFT scratch buffers. Use one instance per thread (or per
 * stream); instances are cheap (a few KB plus the shared-nothing FFT plan). The {@link MelFilterbank}
 * and the spec are immutable.
 */
public final class LogMelExtractor {

    private final LogMelSpec spec;
    private final MelFilterbank filterbank;
    private final double[] window;
    private final float[] mean;
    private final float[] std;
    private final DoubleFFT_1D fft;
    private final double[] fftBuffer;
    private final double[] power;
    private final double[] mel;

    public LogMelExtractor(LogMelSpec spec) {
        this.spec = spec;
        this.filterbank = new MelFilterbank(spec);
        this.window = periodicHann(spec.winLength());
        this.mean = spec.mean();
        this.std = spec.std();
        this.fft = new DoubleFFT_1D(spec.nFft());
        this.fftBuffer = new double[spec.nFft()];
        this.power = new double[spec.spectrumBins()];
        this.mel = new double[spec.nMels()];
    }

    public LogMelSpec spec() {
        return spec;
    }

    /** Periodic Hann window w[n] = 0.5 - 0.5 cos(2 pi n / N), n = 0..N-1 (the DFT-even form, as numpy/torch use). */
    public static double[] periodicHann(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * i / n);
        }
        return w;
    }

    /**
     * Raw log-mel ln(mel + logOffset) of the frame {@code samples[start, start + winLength)} into
     * {@code rawOut[0, nMels)}.
     */
    public void logMel(float[] samples, int start, float[] rawOut) {
        extract(samples, start, rawOut, null);
    }

    /** Raw and normalised log-mel of one frame; either output may be null if not wanted. */
    public void extract(float[] samples, int start, float[] rawOut, float[] normalisedOut) {
        computeMel(samples, start);
        double offset = spec.logOffset();
        for (int m = 0; m < mel.length; m++) {
            double raw = Math.log(mel[m] + offset);
            if (rawOut != null) {
                rawOut[m] = (float) raw;
            }
            if (normalisedOut != null) {
                normalisedOut[m] = (float) ((raw - mean[m]) / std[m]);
            }
        }
    }

    /** Per-band (x - mean) / std of a raw log-mel frame; {@code out} may be {@code raw} itself. */
    public void normalise(float[] raw, float[] out) {
        for (int m = 0; m < mean.length; m++) {
            out[m] = (float) (((double) raw[m] - mean[m]) / std[m]);
        }
    }

    /** All complete frames of a signal whose first sample is the start of frame 0: raw log-mel [frames][nMels]. */
    public float[][] logMelAll(float[] signal) {
        float[][] out = new float[spec.frameCount(signal.length)][spec.nMels()];
        for (int i = 0; i < out.length; i++) {
            logMel(signal, i * spec.hopLength(), out[i]);
        }
        return out;
    }

    /** All complete frames of a signal whose first sample is the start of frame 0: normalised [frames][nMels]. */
    public float[][] normalisedAll(float[] signal) {
        float[][] out = new float[spec.frameCount(signal.length)][spec.nMels()];
        for (int i = 0; i < out.length; i++) {
            extract(signal, i * spec.hopLength(), null, out[i]);
        }
        return out;
    }

    private void computeMel(float[] samples, int start) {
        int win = window.length;
        if (start < 0 || start > samples.length - win) {
            throw new IndexOutOfBoundsException("frame [" + start + ", " + (start + win) + ") is outside the "
                    + samples.length + " samples given");
        }
        double[] buf = fftBuffer;
        for (int i = 0; i < win; i++) {
            buf[i] = samples[start + i] * window[i];
        }
        // Zero padding after the window: only the phase would change if it were centred, not the power.
        Arrays.fill(buf, win, buf.length, 0.0);
        fft.realForward(buf);
        // JTransforms packs the real FFT of even n as: buf[0] = Re X[0], buf[1] = Re X[n/2],
        // buf[2k] = Re X[k], buf[2k + 1] = Im X[k] for 0 < k < n/2.
        int half = buf.length / 2;
        power[0] = buf[0] * buf[0];
        power[half] = buf[1] * buf[1];
        for (int k = 1; k < half; k++) {
            double re = buf[2 * k];
            double im = buf[2 * k + 1];
            power[k] = re * re + im * im;
        }
        filterbank.apply(power, mel);
    }
}
