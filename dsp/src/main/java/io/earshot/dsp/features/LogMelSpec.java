package io.earshot.dsp.features;

import java.util.Arrays;

/**
 * Everything that defines the log-mel input of a model: frame i covers the absolute samples
 * [i * hopLength, i * hopLength + winLength) of a mono stream at {@code sampleRate}; each frame is
 * weighted by a periodic Hann window of winLength samples, zero-padded to nFft, turned into a power
 * spectrum, projected onto nMels HTK-mel triangles (peak 1, band edges nMels + 2 points equally
 * spaced in mel between fmin and fmax), logged as ln(mel + logOffset) and normalised per band as
 * (x - mean[b]) / std[b].
 *
 * <p>Immutable: the arrays are copied in and out.
 */
public record LogMelSpec(int sampleRate, int nFft, int winLength, int hopLength, int nMels,
                         double fmin, double fmax, double logOffset, float[] mean, float[] std) {

    /** Earshot v1 constants: 16 kHz, 1024-point FFT and window, hop 256, 64 mels from 50 to 8000 Hz, ln(x + 1e-6). */
    public static final int EARSHOT_SAMPLE_RATE = 16_000;

    public LogMelSpec {
        require(sampleRate > 0, "sampleRate must be positive: " + sampleRate);
        require(nFft >= 2 && Integer.bitCount(nFft) == 1, "nFft must be a power of two >= 2: " + nFft);
        require(winLength >= 1 && winLength <= nFft, "winLength must be in [1, nFft=" + nFft + "]: " + winLength);
        require(hopLength >= 1, "hopLength must be positive: " + hopLength);
        require(nMels >= 1, "nMels must be positive: " + nMels);
        require(fmin >= 0 && fmin < fmax, "need 0 <= fmin < fmax: fmin=" + fmin + " fmax=" + fmax);
        require(fmax <= sampleRate / 2.0, "fmax " + fmax + " is above the Nyquist frequency " + sampleRate / 2.0);
        require(logOffset > 0 && Double.isFinite(logOffset), "logOffset must be positive and finite: " + logOffset);
        require(mean != null && mean.length == nMels, "mean must have nMels=" + nMels + " values, got "
                + (mean == null ? "null" : mean.length));
        require(std != null && std.length == nMels, "std must have nMels=" + nMels + " values, got "
                + (std == null ? "null" : std.length));
        for (int b = 0; b < nMels; b++) {
            require(Float.isFinite(mean[b]), "mean[" + b + "] is not finite: " + mean[b]);
            require(std[b] > 0 && Float.isFinite(std[b]), "std[" + b + "] must be positive and finite: " + std[b]);
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The Earshot v1 feature definition with the given per-band normalisation statistics. */
    public static LogMelSpec earshotV1(float[] mean, float[] std) {
        return new LogMelSpec(EARSHOT_SAMPLE_RATE, 1024, 1024, 256, 64, 50.0, 8000.0, 1e-6, mean, std);
    }

    /** The Earshot v1 feature definition without normalisation (mean 0, std 1): normalised == raw. */
    public static LogMelSpec earshotV1Unnormalised() {
        float[] ones = new float[64];
        Arrays.fill(ones, 1f);
        return earshotV1(new float[64], ones);
    }

    /**
     * Reads the {@code features} object of a model manifest (docs/model-manifest.md), as a JSON parser
     * gives it: nested maps, lists and numbers. Only what {@link LogMelExtractor} computes is accepted
     * (periodic Hann, no centring, power spectrum, HTK mel without norm, natural log, per-band or no
     * normalisation); anything else is refused with a message naming the field, so a model that
     * expects other features cannot run on wrong inputs.
     */
    public static LogMelSpec fromManifestFeatures(java.util.Map<String, ?> features) {
        ManifestFields f = new ManifestFields(features, "features");
        f.requireText("window", "hann_periodic");
        if (features.containsKey("center") && !Boolean.FALSE.equals(features.get("center"))) {
            throw new IllegalArgumentException("manifest features.center: only false is supported, got " + features.get("center"));
        }
        f.requireText("spectrum", "power");
        ManifestFields mel = f.object("mel");
        mel.requireText("scale", "htk");
        mel.requireText("norm", "none");
        ManifestFields log = f.object("log");
        log.requireText("type", "ln");
        int nMels = mel.integer("n_mels");
        ManifestFields norm = f.object("normalization");
        float[] mean;
        float[] std;
        String normType = norm.text("type");
        if (normType.equals("per_band")) {
            mean = norm.floats("mean");
            std = norm.floats("std");
        } else if (normType.equals("none")) {
            mean = new float[nMels];
            std = new float[nMels];
            Arrays.fill(std, 1f);
        } else {
            throw new IllegalArgumentException("manifest features.normalization.type: expected per_band or none, got " + normType);
        }
        return new LogMelSpec(f.integer("sample_rate"), f.integer("n_fft"), f.integer("win_length"),
                f.integer("hop_length"), nMels, mel.number("fmin"), mel.number("fmax"), log.number("offset"), mean, std);
    }

    /** The same features with other normalisation statistics. */
    public LogMelSpec withNormalisation(float[] newMean, float[] newStd) {
        return new LogMelSpec(sampleRate, nFft, winLength, hopLength, nMels, fmin, fmax, logOffset, newMean, newStd);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Number of spectrum bins of the real FFT, nFft / 2 + 1. */
    public int spectrumBins() {
        return nFft / 2 + 1;
    }

    /** First absolute sample of frame {@code frameIndex}. */
    public long frameStartSample(long frameIndex) {
        return frameIndex * hopLength;
    }

    /** Index of the first frame that starts at or after {@code sampleIndex} (frames never start mid-way into a gap). */
    public long firstFrameAtOrAfter(long sampleIndex) {
        return Math.floorDiv(sampleIndex + hopLength - 1, hopLength);
    }

    /** Number of complete frames in a signal of {@code numSamples} samples starting at a frame boundary. */
    public int frameCount(int numSamples) {
        return numSamples < winLength ? 0 : (numSamples - winLength) / hopLength + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogMelSpec s && sampleRate == s.sampleRate && nFft == s.nFft && winLength == s.winLength
                && hopLength == s.hopLength && nMels == s.nMels && Double.compare(fmin, s.fmin) == 0
                && Double.compare(fmax, s.fmax) == 0 && Double.compare(logOffset, s.logOffset) == 0
                && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        int h = java.util.Objects.hash(sampleRate, nFft, winLength, hopLength, nMels, fmin, fmax, logOffset);
        return 31 * (31 * h + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "LogMelSpec[sampleRate=" + sampleRate + ", nFft=" + nFft + ", winLength=" + winLength
                + ", hopLength=" + hopLength + ", nMels=" + nMels + ", fmin=" + fmin + ", fmax=" + fmax
                + ", logOffset=" + logOffset + "]";
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid log-mel spec: " + message);
        }
    }
}
