package io.earshot.dsp.decode;

/**
 * An event of one class in output-frame units.
 *
 * @param onsetFrame        first active output frame
 * @param endFrameExclusive one past the last active output frame
 * @param meanScore         mean of the input (unfiltered) scores over [onsetFrame, endFrameExclusive),
 *                          merged gap frames included
 */
public record DecodedEvent(long onsetFrame, long endFrameExclusive, double meanScore) {

    public DecodedEvent {
        if (endFrameExclusive <= onsetFrame) {
            throw new IllegalArgumentException("empty event [" + onsetFrame + ", " + endFrameExclusive + ")");
        }
    }

    public long lengthFrames() {
        return endFrameExclusive - onsetFrame;
    }
}
