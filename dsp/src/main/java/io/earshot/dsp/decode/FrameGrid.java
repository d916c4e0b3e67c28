package io.earshot.dsp.decode;

/**
 * Maps output-frame indices to absolute sample indices: output frame j covers samples
 * [offsetSamples + hopSamples * j, offsetSamples + hopSamples * (j + 1)). For Earshot v1
 * (hop 256, 4x time pooling, window 1024) that is offset 384, hop 1024.
 *
 * <p>An event [onsetFrame, endFrameExclusive) therefore has onset sample = start of its first frame
 * and offset sample = end of its last frame = start of frame endFrameExclusive.
 */
public record FrameGrid(long offsetSamples, int hopSamples) {

    public FrameGrid {
        if (hopSamples < 1) {
            throw new IllegalArgumentException("hopSamples must be positive: " + hopSamples);
        }
    }

    /** The grid of a model that pools {@code timePooling} input frames of the given hop and window into one output frame. */
    public static FrameGrid ofPooling(int inputHop, int inputWindow, int timePooling) {
        return new FrameGrid((inputWindow - inputHop) / 2, inputHop * timePooling);
    }

    /** First sample of output frame {@code frame}. */
    public long startSample(long frame) {
        return offsetSamples + hopSamples * frame;
    }

    public long onsetSample(DecodedEvent event) {
        return startSample(event.onsetFrame());
    }

    public long offsetSample(DecodedEvent event) {
        return startSample(event.endFrameExclusive());
    }
}
