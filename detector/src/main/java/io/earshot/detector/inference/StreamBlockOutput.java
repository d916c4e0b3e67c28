package io.earshot.detector.inference;

/**
 * A streaming model's output for one block: frame probabilities {@code [outputFrame][label]} and the
 * state to carry into the source's next block.
 */
public record StreamBlockOutput(float[][] probs, float[] state) {
}
