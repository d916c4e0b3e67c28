package io.earshot.detector.window;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Weighted sums of window outputs for the output frames that are not final yet.
 *
 * <p>Frames from {@link #baseFrame()} on are tracked; {@link #add} folds in one window's frame
 * probabilities, {@link #takeFinal} hands out the weighted averages of the frames no future window can
 * cover and forgets them. The state is small (only the frames of the overlap) and serialises to bytes
 * for a state store.
 */
public final class OverlapAccumulator {

    private final int labels;
    private long baseFrame;
    private int frames;
    private float[] sums;
    private float[] weights;

    public OverlapAccumulator(int labels, long baseFrame) {
        if (labels <= 0) {
            throw new IllegalArgumentException("labels must be positive, got " + labels);
        }
        this.labels = labels;
        this.baseFrame = baseFrame;
        this.sums = new float[0];
        this.weights = new float[0];
    }

    public long baseFrame() {
        return baseFrame;
    }

    /** Number of non-final frames that have received at least part of a window. */
    public int pendingFrames() {
        return frames;
    }

    public int labels() {
        return labels;
    }

    /**
     * Adds a window's output: {@code probs[p][label]} for output frame {@code firstFrame + p}, with
     * weight {@code frameWeights[p]}. Frames before {@link #baseFrame()} are final already and skipped.
     */
    public void add(long firstFrame, float[][] probs, float[] frameWeights) {
        if (probs.length != frameWeights.length) {
            throw new IllegalArgumentException(probs.length + " frames but " + frameWeights.length + " weights");
        }
        long end = firstFrame + probs.length;
        if (end <= baseFrame) {
            return;
        }
        int needed = (int) (end - baseFrame);
        if (needed > frames) {
            ensureCapacity(needed);
            frames = needed;
        }
        for (int p = 0; p < probs.length; p++) {
            long frame = firstFrame + p;
            if (frame < baseFrame) {
                continue;
            }
            float[] row = probs[p];
            if (row.length != labels) {
                throw new IllegalArgumentException("window frame has " + row.length + " scores, expected " + labels);
            }
            int at = (int) (frame - baseFrame);
            float w = frameWeights[p];
            weights[at] += w;
            for (int l = 0; l < labels; l++) {
                sums[at * labels + l] += w * row[l];
            }
        }
    }

    /**
     * Removes and returns the averaged scores of frames [baseFrame, untilExclusive), clipped to the
     * frames that have received data. Frames with no weight at all are reported as zeros.
     */
    public float[][] takeFinal(long untilExclusive) {
        int count = (int) Math.max(0, Math.min(untilExclusive - baseFrame, frames));
        float[][] out = new float[count][labels];
        for (int f = 0; f < count; f++) {
            float w = weights[f];
            for (int l = 0; l < labels; l++) {
                out[f][l] = w > 0 ? sums[f * labels + l] / w : 0f;
            }
        }
        int rest = frames - count;
        System.arraycopy(sums, count * labels, sums, 0, rest * labels);
        System.arraycopy(weights, count, weights, 0, rest);
        Arrays.fill(sums, rest * labels, frames * labels, 0f);
        Arrays.fill(weights, rest, frames, 0f);
        frames = rest;
        baseFrame += count;
        return out;
    }

    private void ensureCapacity(int needed) {
        if (weights.length < needed) {
            int cap = Math.max(needed, weights.length * 2);
            weights = Arrays.copyOf(weights, cap);
            sums = Arrays.copyOf(sums, cap * labels);
        }
    }

    /** Bytes needed by {@link #writeTo}. */
    public int serializedSize() {
        return 8 + 4 + 4 + frames * 4 * (labels + 1);
    }

    public void writeTo(ByteBuffer out) {
        out.putLong(baseFrame).putInt(labels).putInt(frames);
        for (int f = 0; f < frames; f++) {
            out.putFloat(weights[f]);
        }
        for (int i = 0; i < frames * labels; i++) {
            out.putFloat(sums[i]);
        }
    }

    public static OverlapAccumulator readFrom(ByteBuffer in) {
        long base = in.getLong();
        int labels = in.getInt();
        int frames = in.getInt();
        OverlapAccumulator acc = new OverlapAccumulator(labels, base);
        acc.ensureCapacity(frames);
        acc.frames = frames;
        for (int f = 0; f < frames; f++) {
            acc.weights[f] = in.getFloat();
        }
        for (int i = 0; i < frames * labels; i++) {
            acc.sums[i] = in.getFloat();
        }
        return acc;
    }
}
