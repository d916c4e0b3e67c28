package io.earshot.detector.window;

/**
 * Where analysis windows fall and how model output frames map to stream samples.
 *
 * <p>Input frames are the log-mel frames (frame i starts at sample i * frameHopSamples). A window is
 * {@code windowFrames} consecutive input frames; window k of a segment that starts at input frame
 * {@code origin} covers [origin + k * hopFrames, origin + k * hopFrames + windowFrames). The model pools
 * time by {@code pooling}, so output frame j (global, since stream start) summarises input frames
 * [j * pooling, (j + 1) * pooling); {@code io.earshot.dsp.decode.FrameGrid} maps it to samples.
 *
 * <p>Window length, hop and segment origins are multiples of the pooling factor, so the output frames
 * of every window land on the same global grid and can be averaged frame by frame.
 */
public record WindowGeometry(int windowFrames, int hopFrames, int pooling, int frameHopSamples) {

    /** Longest window or hop accepted, in seconds: keeps a window's tensor and state values small. */
    public static final double MAX_SECONDS = 120.0;

    public WindowGeometry {
        if (pooling <= 0) {
            throw new IllegalArgumentException("time pooling must be positive, got " + pooling);
        }
        if (windowFrames <= 0 || windowFrames % pooling != 0) {
            throw new IllegalArgumentException("window of " + windowFrames + " frames is not a positive multiple of the model's time pooling " + pooling);
        }
        if (hopFrames <= 0 || hopFrames % pooling != 0 || hopFrames > windowFrames) {
            throw new IllegalArgumentException("hop of " + hopFrames + " frames must be a positive multiple of " + pooling + " and at most the window (" + windowFrames + ")");
        }
        if (frameHopSamples <= 0) {
            throw new IllegalArgumentException("frame hop must be positive, got " + frameHopSamples);
        }
    }

    /**
     * Geometry from durations in seconds, each rounded to the nearest whole number of output frames
     * (at least one).
     */
    public static WindowGeometry fromSeconds(double windowSec, double hopSec, int sampleRate, int frameHopSamples,
                                             int pooling) {
        int window = toFrames(windowSec, "window", sampleRate, frameHopSamples, pooling);
        int hop = toFrames(hopSec, "hop", sampleRate, frameHopSamples, pooling);
        if (hop > window) {
            throw new IllegalArgumentException("hop (" + hopSec + " s) must not exceed the window (" + windowSec + " s)");
        }
        return new WindowGeometry(window, hop, pooling, frameHopSamples);
    }

    private static int toFrames(double seconds, String what, int sampleRate, int frameHopSamples, int pooling) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(what + " length must be a positive number of seconds, got " + seconds);
        }
        long outputFrames = Math.max(1, Math.round(seconds * sampleRate / ((double) frameHopSamples * pooling)));
        if (seconds > MAX_SECONDS) {
            throw new IllegalArgumentException(what + " length of " + seconds + " s is longer than the limit of "
                    + MAX_SECONDS + " s");
        }
        return (int) outputFrames * pooling;
    }

    /** Output frames one full window yields. */
    public int windowOutputFrames() {
        return windowFrames / pooling;
    }

    /** First input frame of window k of a segment starting at {@code origin}. */
    public long windowStart(long origin, long k) {
        return origin + k * hopFrames;
    }

    /** The first input frame index at or after {@code sampleIndex} that starts on the output-frame grid. */
    public long alignedOriginAtOrAfter(long sampleIndex) {
        long grid = (long) frameHopSamples * pooling;
        return Math.floorDiv(sampleIndex + grid - 1, grid) * pooling;
    }

    /** Window length in seconds at the given sample rate. */
    public double windowSeconds(int sampleRate) {
        return (double) windowFrames * frameHopSamples / sampleRate;
    }

    /** Hop length in seconds at the given sample rate. */
    public double hopSeconds(int sampleRate) {
        return (double) hopFrames * frameHopSamples / sampleRate;
    }
}
