package io.earshot.detector.window;

/**
 * How much each output frame of a window counts when overlapping windows are averaged.
 *
 * <p>{@link #HANN} trusts a window's centre more than its edges, where the model saw less context;
 * with 50 % overlap the squared-sine weights of neighbouring windows sum to one, a smooth cross-fade.
 * A small floor keeps frames that only one window covers (stream start and end) well defined.
 */
public enum WindowWeighting {
    UNIFORM,
    HANN;

    private static final float FLOOR = 1e-3f;

    /**
     * Weights for the first {@code frames} output frames of a window whose full length is
     * {@code fullWindowFrames} output frames (a partial window at stream end keeps the weights of the
     * positions it has).
     */
    public float[] weights(int frames, int fullWindowFrames) {
        float[] w = new float[frames];
        for (int p = 0; p < frames; p++) {
            if (this == UNIFORM) {
                w[p] = 1f;
            } else {
                double s = Math.sin(Math.PI * (p + 0.5) / fullWindowFrames);
                w[p] = (float) Math.max(FLOOR, s * s);
            }
        }
        return w;
    }
}
