package io.earshot.dsp.levels;

import io.earshot.dsp.features.LogMelExtractor;
import io.earshot.dsp.features.LogMelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Level and a coarse spectrogram of one contiguous stream, on the stream's sample grid: interval k covers
 * samples [k * intervalSamples, (k + 1) * intervalSamples) and is reported once all of its samples were
 * pushed, whatever the chunking. A meter that starts mid-interval (a restart, a stream that does not start
 * at a multiple of the interval) skips to the next interval boundary, so every interval reported is whole.
 *
 * <p>Levels are in dBFS as 20 log10 of the RMS (or peak) of the samples, full scale being 1.0: a
 * full-scale square wave reads 0 dBFS, a full-scale sine -3.01 dBFS RMS and 0 dBFS peak. Silence reads
 * {@link #FLOOR_DB}. Each spectrogram column is the power of one Hann-windowed, non-overlapping block of
 * {@code columnSamples} samples projected onto mel bands, in dB relative to a full-scale sine at a band's
 * centre, rounded to whole dB and clipped to [{@link #FLOOR_DB}, 0].
 *
 * <p>Not thread-safe: one meter per stream.
 */
public final class LevelMeter {

    /** The lowest level reported: digital silence, and anything quieter. */
    public static final int FLOOR_DB = -120;
    private static final double LOG_OFFSET = 1e-12;
    private static final double DB_PER_NEPER_POWER = 10.0 / Math.log(10.0);

    /**
     * One finished interval.
     *
     * @param startSample first sample of the interval
     * @param endSample   one past its last sample
     * @param rmsDbfs     RMS level
     * @param peakDbfs    peak level
     * @param columns     {@code intervalSamples / columnSamples} columns of {@code bands} values each, in dB
     */
    public record Interval(long startSample, long endSample, double rmsDbfs, double peakDbfs, int[][] columns) {
    }

    private final int intervalSamples;
    private final int columnSamples;
    private final LogMelExtractor extractor;
    private final LogMelSpec spec;
    private final double referenceDb;
    private final float[] column;
    private final float[] melOut;

    private long next = Long.MIN_VALUE;
    private long intervalStart = Long.MIN_VALUE;
    private int filled;
    private double sumSquares;
    private double peak;
    private final List<int[]> columns = new ArrayList<>();

    /**
     * @param sampleRate      rate of the stream
     * @param intervalSamples samples per interval, a multiple of columnSamples
     * @param columnSamples   samples per spectrogram column, a power of two (also the FFT length)
     * @param bands           mel bands per column
     * @param fminHz          lowest band edge
     * @param fmaxHz          highest band edge (at most half the sample rate)
     */
    public LevelMeter(int sampleRate, int intervalSamples, int columnSamples, int bands, double fminHz, double fmaxHz) {
        if (columnSamples < 2 || Integer.bitCount(columnSamples) != 1) {
            throw new IllegalArgumentException("column length must be a power of two, got " + columnSamples);
        }
        if (intervalSamples < columnSamples || intervalSamples % columnSamples != 0) {
            throw new IllegalArgumentException("interval of " + intervalSamples + " samples is not a multiple of the "
                    + columnSamples + "-sample column");
        }
        float[] ones = new float[bands];
        Arrays.fill(ones, 1f);
        this.spec = new LogMelSpec(sampleRate, columnSamples, columnSamples, columnSamples, bands, fminHz, fmaxHz,
                LOG_OFFSET, new float[bands], ones);
        this.extractor = new LogMelExtractor(spec);
        this.intervalSamples = intervalSamples;
        this.columnSamples = columnSamples;
        // A full-scale sine in a Hann window of N samples peaks at (N / 4)^2 in the power spectrum.
        double sinePeak = columnSamples / 4.0;
        this.referenceDb = 20.0 * Math.log10(sinePeak);
        this.column = new float[columnSamples];
        this.melOut = new float[bands];
    }

    public LogMelSpec spec() {
        return spec;
    }

    public int intervalSamples() {
        return intervalSamples;
    }

    public int columnSamples() {
        return columnSamples;
    }

    /** The sample the meter expects next, or {@link Long#MIN_VALUE} before the first push. */
    public long nextSample() {
        return next;
    }

    /**
     * Adds samples starting at absolute index {@code firstSample}, which must follow the previous push
     * directly; returns the intervals this completes, oldest first.
     *
     * @throws IllegalArgumentException when the samples do not continue the previous push
     */
    public List<Interval> push(long firstSample, float[] samples) {
        if (next != Long.MIN_VALUE && firstSample != next) {
            throw new IllegalArgumentException("samples start at " + firstSample + " but the meter expects " + next
                    + " (start a new meter after a gap)");
        }
        List<Interval> done = new ArrayList<>(1);
        int i = 0;
        if (intervalStart == Long.MIN_VALUE) {
            long start = Math.floorDiv(firstSample + intervalSamples - 1, intervalSamples) * intervalSamples;
            i = (int) Math.min(samples.length, start - firstSample);
            if (i < samples.length) {
                intervalStart = start;
            }
        }
        while (i < samples.length) {
            int take = Math.min(samples.length - i, columnSamples - (filled % columnSamples));
            int at = filled % columnSamples;
            for (int j = 0; j < take; j++) {
                float x = samples[i + j];
                column[at + j] = x;
                sumSquares += (double) x * x;
                peak = Math.max(peak, Math.abs(x));
            }
            filled += take;
            i += take;
            if (filled % columnSamples == 0) {
                columns.add(columnDb());
            }
            if (filled == intervalSamples) {
                done.add(finishInterval());
            }
        }
        next = firstSample + samples.length;
        return done;
    }

    private int[] columnDb() {
        extractor.logMel(column, 0, melOut);
        int[] db = new int[melOut.length];
        for (int m = 0; m < db.length; m++) {
            double v = melOut[m] * DB_PER_NEPER_POWER - referenceDb;
            db[m] = (int) Math.max(FLOOR_DB, Math.min(0, Math.round(v)));
        }
        return db;
    }

    private Interval finishInterval() {
        double rms = Math.sqrt(sumSquares / intervalSamples);
        Interval out = new Interval(intervalStart, intervalStart + intervalSamples, dbfs(rms), dbfs(peak),
                columns.toArray(new int[0][]));
        intervalStart += intervalSamples;
        filled = 0;
        sumSquares = 0;
        peak = 0;
        columns.clear();
        return out;
    }

    /** 20 log10(amplitude), rounded to 0.1 dB, never below {@link #FLOOR_DB}. */
    static double dbfs(double amplitude) {
        if (!(amplitude > 0)) {
            return FLOOR_DB;
        }
        double db = 20.0 * Math.log10(amplitude);
        return Math.max(FLOOR_DB, Math.round(db * 10.0) / 10.0);
    }
}
