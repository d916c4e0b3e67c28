package io.earshot.detector.state;

import io.earshot.dsp.features.LogMelFrame;
import java.util.Arrays;
import java.util.List;

/**
 * The log-mel frames of a source that a streaming model has not consumed yet: frames
 * [firstFrame, firstFrame + count) in one flat array, {@code mels} floats each. Fewer than one block
 * while the model keeps up; immutable.
 *
 * @param firstFrame index of the first held frame
 * @param mels       floats per frame
 * @param values     the frames, row after row
 */
public record HeldFrames(long firstFrame, int mels, float[] values) {

    public static HeldFrames empty(long nextFrame, int mels) {
        return new HeldFrames(nextFrame, mels, new float[0]);
    }

    public HeldFrames {
        if (mels < 1 || values.length % mels != 0) {
            throw new IllegalArgumentException(values.length + " held values are not whole frames of " + mels);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldFrames h && h.firstFrame == firstFrame && h.mels == mels && Arrays.equals(h.values, values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(firstFrame) * 31 + Arrays.hashCode(values);
    }

    public int count() {
        return values.length / mels;
    }

    /** One past the last held frame. */
    public long endFrame() {
        return firstFrame + count();
    }

    /** These frames followed by {@code more} (which must continue at {@link #endFrame()}). */
    public HeldFrames append(List<LogMelFrame> more) {
        if (more.isEmpty()) {
            return this;
        }
        if (more.get(0).index() != endFrame()) {
            throw new IllegalArgumentException("frame " + more.get(0).index() + " does not follow held frames ending at "
                    + endFrame());
        }
        float[] out = Arrays.copyOf(values, values.length + more.size() * mels);
        int at = values.length;
        for (LogMelFrame f : more) {
            System.arraycopy(f.values(), 0, out, at, mels);
            at += mels;
        }
        return new HeldFrames(firstFrame, mels, out);
    }

    /** The first {@code n} held frames as rows, zero frames after the last held one (end-of-stream padding). */
    public float[][] firstPadded(int n) {
        float[][] rows = new float[n][mels];
        int have = Math.min(n, count());
        for (int i = 0; i < have; i++) {
            System.arraycopy(values, i * mels, rows[i], 0, mels);
        }
        return rows;
    }

    /** Without the first {@code n} frames (all of them when fewer are held). */
    public HeldFrames drop(int n) {
        int k = Math.min(n, count());
        return new HeldFrames(firstFrame + n, mels, Arrays.copyOfRange(values, k * mels, values.length));
    }
}
