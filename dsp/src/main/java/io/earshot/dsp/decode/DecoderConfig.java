package io.earshot.dsp.decode;

/**
 * How one class's frame scores become events (all lengths in output frames). The rules are those of
 * the training side's decoder (training/earshot_sed/decoding.py), so thresholds tuned there mean the
 * same here.
 *
 * @param thresholdOn       a frame whose median-filtered score is strictly above this starts activity
 * @param thresholdOff      while active, activity continues as long as the filtered score is strictly
 *                          above this (hysteresis: thresholdOff <= thresholdOn)
 * @param medianFrames      odd length of the centred median filter applied before the thresholds (1 = off)
 * @param minDurationFrames events shorter than this (after gap merging) are dropped (1 = keep all)
 * @param maxGapFrames      two events separated by at most this many inactive frames are merged (0 = never)
 */
public record DecoderConfig(double thresholdOn, double thresholdOff, int medianFrames, int minDurationFrames,
                            int maxGapFrames) {

    /** Slack for converting seconds to whole frames, so that e.g. 0.192 s is exactly 3 frames of 0.064 s. */
    private static final double FRAME_EPSILON = 1e-9;

    public DecoderConfig {
        if (!(thresholdOn >= 0 && thresholdOn <= 1)) {
            throw new IllegalArgumentException("thresholdOn must be in [0, 1]: " + thresholdOn);
        }
        if (!(thresholdOff >= 0 && thresholdOff <= thresholdOn)) {
            throw new IllegalArgumentException("thresholdOff must be in [0, thresholdOn=" + thresholdOn + "]: " + thresholdOff);
        }
        if (medianFrames < 1 || medianFrames % 2 == 0) {
            throw new IllegalArgumentException("medianFrames must be odd and >= 1: " + medianFrames);
        }
        if (minDurationFrames < 1) {
            throw new IllegalArgumentException("minDurationFrames must be >= 1: " + minDurationFrames);
        }
        if (maxGapFrames < 0) {
            throw new IllegalArgumentException("maxGapFrames must be >= 0: " + maxGapFrames);
        }
    }

    /**
     * The rules as the manifest states them, in seconds: an event of n frames lasts n * frameHopSec and
     * is kept if that is >= minDurationSec; a gap of g frames lasts g * frameHopSec and is merged if that
     * is <= maxGapSec (the Python decoder's comparisons, turned into whole frames).
     */
    public static DecoderConfig fromSeconds(double thresholdOn, double thresholdOff, int medianFrames,
                                            double minDurationSec, double maxGapSec, double frameHopSec) {
        if (!(frameHopSec > 0) || !(minDurationSec >= 0) || !(maxGapSec >= 0)) {
            throw new IllegalArgumentException("need frameHopSec > 0 and non-negative durations: hop=" + frameHopSec
                    + " minDuration=" + minDurationSec + " maxGap=" + maxGapSec);
        }
        int minFrames = (int) Math.max(1, Math.ceil(minDurationSec / frameHopSec - FRAME_EPSILON));
        int gapFrames = (int) Math.floor(maxGapSec / frameHopSec + FRAME_EPSILON);
        return new DecoderConfig(thresholdOn, thresholdOff, medianFrames, minFrames, gapFrames);
    }

    /** A plain threshold: no hysteresis, no filtering, no duration or gap rules. */
    public static DecoderConfig threshold(double threshold) {
        return new DecoderConfig(threshold, threshold, 1, 1, 0);
    }

    /** The same rules with other thresholds (for per-label overrides). */
    public DecoderConfig withThresholds(double on, double off) {
        return new DecoderConfig(on, off, medianFrames, minDurationFrames, maxGapFrames);
    }

    /** Whether a filtered score starts activity. */
    boolean startsActivity(float smoothed) {
        return smoothed > thresholdOn;
    }

    /** Whether a filtered score keeps an active frame sequence going. */
    boolean keepsActivity(float smoothed) {
        return smoothed > thresholdOff;
    }

    /**
     * How many frames after frame t the decoder must see before it can decide frame t: half the median
     * window. An onset is known minDurationFrames - 1 frames after that, an offset maxGapFrames + 1 frames
     * after the event's last active frame is decided.
     */
    public int lookaheadFrames() {
        return medianFrames / 2;
    }
}
