package io.earshot.detector.inference;

/**
 * One block of a streaming model's input for one source: the next {@code frames.length} normalised
 * log-mel frames ({@code [t][mel]}) and the state the source's previous block left ({@code float[S]}).
 */
public record StreamBlock(float[][] frames, float[] state) {
}
