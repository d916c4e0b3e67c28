package io.earshot.dsp.resample;

import java.util.Arrays;

/**
 * Band-limited streaming sample-rate converter: a Kaiser-windowed sinc evaluated as a polyphase
 * filter bank.
 *
 * <p><b>Alignment.</b> Output sample n is the band-limited input signal evaluated at input time
 * n / outRate exactly: the filter is symmetric around that instant (zero phase), so there is no
 * group delay and output sample indices stay on the same time axis as input indices. The price is
 * look-ahead: an output is produced only once {@link #lookAheadInputSamples()} further input samples
 * have arrived; {@link #flush()} produces the rest, treating the signal as zero after its end (and
 * before its start). A stream of N input samples yields exactly {@code ceil(N * outRate / inRate)}
 * outputs, the instants n / outRate that fall before N / inRate.
 *
 * <p><b>Streaming.</b> Any split of the input into chunks gives bit-for-bit the same output as one
 * call with all of it, because every output is computed from the same samples in the same order.
 *
 * <p>Phases: for rates with ratio L/M (in lowest terms) the L filter phases are precomputed when
 * L <= {@value #MAX_EXACT_PHASES}; beyond that (unusual rates such as 44 100 -> 16 001 Hz) a table of
 * {@value #MAX_EXACT_PHASES} phases is interpolated linearly. Not thread-safe: one instance per stream.
 */
public final class Resampler {

    static final int MAX_EXACT_PHASES = 4096;

    private final int inRate;
    private final int outRate;
    private final long up;   // L: outRate / gcd
    private final long down; // M: inRate / gcd
    private final int halfTaps;
    private final int taps;
    private final float[][] phases;
    private final boolean interpolatePhases;
    private final boolean identity;

    private float[] buffer;
    private int bufferLength;
    private long bufferStart; // absolute input index of buffer[0]
    private long inputCount;
    private long outputCount;
    private boolean flushed;

    public Resampler(int inRate, int outRate) {
        this(inRate, outRate, FilterSpec.DEFAULT);
    }

    public Resampler(int inRate, int outRate, FilterSpec spec) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive, got " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        long g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        this.identity = inRate == outRate;
        if (identity) {
            this.halfTaps = 1;
            this.taps = 2;
            this.phases = new float[][] {{1f, 0f}};
            this.interpolatePhases = false;
        } else {
            double lowerNyquist = Math.min(inRate, outRate) / 2.0;
            double transitionHz = (spec.stopbandEdge() - spec.passbandEdge()) * lowerNyquist;
            double cutoff = (spec.passbandEdge() + spec.stopbandEdge()) / 2 * lowerNyquist / inRate; // cycles per input sample
            double deltaOmega = 2 * Math.PI * transitionHz / inRate;
            double attenuation = spec.stopbandAttenuationDb();
            int length = (int) Math.ceil((attenuation - 7.95) / (2.285 * deltaOmega)) + 1; // Kaiser's estimate
            this.halfTaps = Math.max(2, (length + 1) / 2);
            this.taps = 2 * halfTaps;
            double beta = kaiserBeta(attenuation);
            this.interpolatePhases = up > MAX_EXACT_PHASES;
            int rows = interpolatePhases ? MAX_EXACT_PHASES + 1 : (int) up;
            double rowStep = interpolatePhases ? 1.0 / MAX_EXACT_PHASES : 1.0 / up;
            this.phases = new float[rows][];
            for (int r = 0; r < rows; r++) {
                phases[r] = phaseRow(r * rowStep, cutoff, beta);
            }
        }
        this.buffer = new float[Math.max(4096, 2 * taps)];
        // Zeros before the first sample, so output 0 has its full left half of the filter.
        this.bufferLength = halfTaps - 1;
        this.bufferStart = -(halfTaps - 1);
    }

    /**
     * Coefficients for an output that lies {@code frac} (0 <= frac < 1) of an input sample after input
     * sample i: tap j weighs input sample i - halfTaps + 1 + j.
     */
    private float[] phaseRow(double frac, double cutoff, double beta) {
        double[] row = new double[taps];
        double sum = 0;
        double i0Beta = besselI0(beta);
        for (int j = 0; j < taps; j++) {
            double t = frac + halfTaps - 1 - j; // distance from the output instant to the tap's sample
            double x = t / halfTaps;
            double window = Math.abs(x) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta;
            double arg = 2 * cutoff * t;
            double sinc = arg == 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
            row[j] = 2 * cutoff * sinc * window;
            sum += row[j];
        }
        float[] out = new float[taps];
        for (int j = 0; j < taps; j++) {
            out[j] = (float) (row[j] / sum); // unit gain at DC for every phase
        }
        return out;
    }

    /** One-shot conversion of a whole signal. */
    public static float[] resample(float[] input, int inRate, int outRate) {
        Resampler r = new Resampler(inRate, outRate);
        float[] head = r.process(input, 0, input.length);
        float[] tail = r.flush();
        float[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** Output samples a stream of {@code inputLength} samples yields: ceil(inputLength * outRate / inRate). */
    public long outputLengthFor(long inputLength) {
        return ceilDiv(inputLength * up, down);
    }

    public float[] process(float[] input) {
        return process(input, 0, input.length);
    }

    /** Feeds input samples and returns the outputs that became computable (possibly none). */
    public float[] process(float[] input, int offset, int length) {
        if (flushed) {
            throw new IllegalStateException("resampler was flushed; start a new one for a new stream");
        }
        inputCount += length;
        if (identity) {
            outputCount += length;
            return Arrays.copyOfRange(input, offset, offset + length);
        }
        append(input, offset, length);
        // Output n needs input up to floor(n*M/L) + halfTaps.
        long available = inputCount - halfTaps; // largest i with i + halfTaps <= inputCount - 1, plus one
        long ready = available <= 0 ? 0 : ceilDiv(available * up, down);
        return produce(ready);
    }

    /** Ends the stream: returns the remaining outputs, with the input taken as zero after its end. */
    public float[] flush() {
        if (flushed) {
            return new float[0];
        }
        flushed = true;
        if (identity) {
            return new float[0];
        }
        float[] zeros = new float[halfTaps + 1];
        append(zeros, 0, zeros.length);
        return produce(outputLengthFor(inputCount));
    }

    private float[] produce(long endExclusive) {
        int count = (int) Math.max(0, endExclusive - outputCount);
        float[] out = new float[count];
        for (int k = 0; k < count; k++) {
            long pos = (outputCount + k) * down;
            long i = pos / up;
            long r = pos % up;
            int base = (int) (i - halfTaps + 1 - bufferStart);
            if (interpolatePhases) {
                double x = (double) r / up * MAX_EXACT_PHASES;
                int p = (int) x;
                float a = (float) (x - p);
                out[k] = (1 - a) * dot(phases[p], base) + a * dot(phases[p + 1], base);
            } else {
                out[k] = dot(phases[(int) r], base);
            }
        }
        outputCount += count;
        discardConsumedInput();
        return out;
    }

    private float dot(float[] row, int base) {
        float[] b = buffer;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < taps; j += 4) {
            s0 += row[j] * b[base + j];
            s1 += row[j + 1] * b[base + j + 1];
            s2 += row[j + 2] * b[base + j + 2];
            s3 += row[j + 3] * b[base + j + 3];
        }
        for (; j < taps; j++) {
            s0 += row[j] * b[base + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private void append(float[] input, int offset, int length) {
        if (bufferLength + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, bufferLength + length));
        }
        System.arraycopy(input, offset, buffer, bufferLength, length);
        bufferLength += length;
    }

    /** Drops input samples no future output can reach. */
    private void discardConsumedInput() {
        long firstNeeded = (outputCount * down) / up - halfTaps + 1;
        int drop = (int) Math.min(bufferLength, Math.max(0, firstNeeded - bufferStart));
        if (drop > 0) {
            System.arraycopy(buffer, drop, buffer, 0, bufferLength - drop);
            bufferLength -= drop;
            bufferStart += drop;
        }
    }

    public int inputRate() {
        return inRate;
    }

    public int outputRate() {
        return outRate;
    }

    /** How many input samples past an output's instant must arrive before that output is produced. */
    public int lookAheadInputSamples() {
        return identity ? 0 : halfTaps;
    }

    /** Filter taps per output sample (0 when the rates are equal and samples pass through). */
    public int taps() {
        return identity ? 0 : taps;
    }

    public long inputCount() {
        return inputCount;
    }

    public long outputCount() {
        return outputCount;
    }

    private static double kaiserBeta(double attenuationDb) {
        if (attenuationDb > 50) {
            return 0.1102 * (attenuationDb - 8.7);
        }
        if (attenuationDb >= 21) {
            return 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
        }
        return 0;
    }

    /** Modified Bessel function of the first kind, order 0 (power series; converges fast for the betas used). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double halfX = x / 2;
        for (int k = 1; k < 200; k++) {
            term *= (halfX / k) * (halfX / k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
