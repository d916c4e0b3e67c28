package io.earshot.evaluation;

/** What precision is when a system reported nothing (sed_eval's {@code empty_system_output_handling}). */
public enum EmptyOutputPolicy {
    /** Precision (and F) are undefined: NaN, reported as null in JSON. sed_eval's default. */
    UNDEFINED,
    /** Precision is 0, as in the DCASE baselines ({@code 'zero_score'}). */
    ZERO_SCORE
}
