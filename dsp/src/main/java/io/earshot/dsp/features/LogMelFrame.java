package io.earshot.dsp.features;

/**
 * One normalised log-mel frame of a stream.
 *
 * @param index  frame index: the frame covers absolute samples [index * hopLength, index * hopLength + winLength)
 * @param values nMels normalised log-mel values (owned by the receiver: the framer does not reuse the array)
 */
public record LogMelFrame(long index, float[] values) {
}
