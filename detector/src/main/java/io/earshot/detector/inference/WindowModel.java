package io.earshot.detector.inference;

/** Anything that turns equal-length windows of log-mel frames into frame probabilities, in one call. */
@FunctionalInterface
public interface WindowModel {

    /** {@code windows[b][t][mel]} in, {@code [b][outputFrame][label]} out. */
    float[][][] run(float[][][] windows);
}
