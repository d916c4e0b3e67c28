package io.earshot.dsp.features;

/**
 * HTK-mel triangular filters (peak 1, no area normalisation), stored sparsely: each band keeps only the
 * run of spectrum bins where its weight is non-zero, so projecting a power spectrum costs about two
 * multiply-adds per bin instead of nMels per bin.
 *
 * <p>Band m rises linearly in Hz from edge m to edge m + 1 and falls to edge m + 2, where the
 * nMels + 2 edges are equally spaced on the mel scale mel(f) = 2595 log10(1 + f / 700) between fmin
 * and fmax. Immutable and thread-safe.
 */
public final class MelFilterbank {

    private final int bins;
    private final int[] startBin;
    private final double[][] weights;

    public MelFilterbank(LogMelSpec spec) {
        this.bins = spec.spectrumBins();
        int nMels = spec.nMels();
        double melLo = hzToMel(spec.fmin());
        double melHi = hzToMel(spec.fmax());
        double[] edges = new double[nMels + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(melLo + (melHi - melLo) * i / (nMels + 1));
        }
        double binHz = (double) spec.sampleRate() / spec.nFft();
        startBin = new int[nMels];
        weights = new double[nMels][];
        double[] dense = new double[bins];
        for (int m = 0; m < nMels; m++) {
            double lo = edges[m];
            double centre = edges[m + 1];
            double hi = edges[m + 2];
            int first = -1;
            int last = -1;
            for (int k = 0; k < bins; k++) {
                double f = k * binHz;
                double up = (f - lo) / (centre - lo);
                double down = (hi - f) / (hi - centre);
                double w = Math.max(0.0, Math.min(up, down));
                dense[k] = w;
                if (w > 0) {
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            if (first < 0) {
                // A band narrower than one bin: no bin falls inside it, it always reads logOffset.
                startBin[m] = 0;
                weights[m] = new double[0];
            } else {
                startBin[m] = first;
                weights[m] = java.util.Arrays.copyOfRange(dense, first, last + 1);
            }
        }
    }

    public static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    public static double melToHz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }

    public int bands() {
        return startBin.length;
    }

    /** First spectrum bin with a non-zero weight in band {@code band}. */
    public int startBin(int band) {
        return startBin[band];
    }

    /** The non-zero weights of band {@code band}, from {@link #startBin(int)} on (a copy). */
    public double[] weights(int band) {
        return weights[band].clone();
    }

    /** Projects a power spectrum of nFft / 2 + 1 bins onto the bands: {@code out[m] = sum_k w[m][k] power[k]}. */
    public void apply(double[] power, double[] out) {
        if (power.length < bins) {
            throw new IllegalArgumentException("power spectrum has " + power.length + " bins, need " + bins);
        }
        for (int m = 0; m < startBin.length; m++) {
            double[] w = weights[m];
            int k0 = startBin[m];
            double acc = 0.0;
            for (int i = 0; i < w.length; i++) {
                acc += w[i] * power[k0 + i];
            }
            out[m] = acc;
        }
    }

    /** The full (bands x bins) matrix, for tests and documentation. */
    public double[][] dense() {
        double[][] d = new double[startBin.length][bins];
        for (int m = 0; m < startBin.length; m++) {
            System.arraycopy(weights[m], 0, d[m], startBin[m], weights[m].length);
        }
        return d;
    }
}
