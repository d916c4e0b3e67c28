package io.earshot.dsp.features;

/**
 * A deliberately naive double-precision log-mel, written from the feature contract alone: direct
 * O(N^2) DFT, dense triangular filters evaluated per bin. Slow but obviously right; the fast
 * extractor must agree with it.
 */
final class ReferenceLogMel {

    private ReferenceLogMel() {
    }

    static double[] frame(float[] signal, int start, LogMelSpec spec) {
        int n = spec.nFft();
        int win = spec.winLength();
        int bins = n / 2 + 1;
        double[] power = new double[bins];
        for (int k = 0; k < bins; k++) {
            double re = 0;
            double im = 0;
            for (int t = 0; t < win; t++) {
                double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / win);
                double x = signal[start + t] * w;
                double angle = -2 * Math.PI * (double) k * t / n;
                re += x * Math.cos(angle);
                im += x * Math.sin(angle);
            }
            power[k] = re * re + im * im;
        }
        double melLo = 2595 * Math.log10(1 + spec.fmin() / 700);
        double melHi = 2595 * Math.log10(1 + spec.fmax() / 700);
        double[] out = new double[spec.nMels()];
        for (int m = 0; m < spec.nMels(); m++) {
            double lo = hz(melLo + (melHi - melLo) * m / (spec.nMels() + 1));
            double c = hz(melLo + (melHi - melLo) * (m + 1) / (spec.nMels() + 1));
            double hi = hz(melLo + (melHi - melLo) * (m + 2) / (spec.nMels() + 1));
            double acc = 0;
            for (int k = 0; k < bins; k++) {
                double f = k * (double) spec.sampleRate() / n;
                double w = f <= lo || f >= hi ? 0 : f <= c ? (f - lo) / (c - lo) : (hi - f) / (hi - c);
                acc += w * power[k];
            }
            out[m] = Math.log(acc + spec.logOffset());
        }
        return out;
    }

    private static double hz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }
}
