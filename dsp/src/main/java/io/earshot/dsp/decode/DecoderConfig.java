package io.earshot.dsp.decode;

/**
 * How one class's frame scores become events (all lengths in output frames).
 *
 * @param thresholdOn       a frame whose median-filtered score is >= this starts activity
 * @param thresholdOff      while active, activity continues as long as the filtered score is >= this
 *                          (hysteresis: thresholdOff <= thresholdOn)
 * @param medianFrames      odd length of the centred median filter applied before the thresholds (1 = off)
 * @param minDurationFrames events shorter than this (after gap merging) are dropped (1 = keep all)
 * @param maxGapFrames      two events separated by at most this many inactive frames are merged (0 = never)
 */
public record DecoderConfig(float thresholdOn, float thresholdOff, int medianFrames, int minDurationFrames,
                            int maxGapFrames) {

    public DecoderConfig {
        if (!(thresholdOn >= 0f && thresholdOn <= 1f)) {
            throw new IllegalArgumentException("thresholdOn must be in [0, 1]: " + thresholdOn);
        }
        if (!(thresholdOff >= 0f && thresholdOff <= thresholdOn)) {
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

    /** A plain threshold: no hysteresis, no filtering, no duration or gap rules. */
    public static DecoderConfig threshold(float threshold) {
        return new DecoderConfig(threshold, threshold, 1, 1, 0);
    }

    /** The same rules with other thresholds (for per-label overrides). */
    public DecoderConfig withThresholds(float on, float off) {
        return new DecoderConfig(on, off, medianFrames, minDurationFrames, maxGapFrames);
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
