package io.earshot.dsp.features;

/**
 * Thrown when audio or scores arrive that do not continue exactly where the previous input ended
 * (a gap, an overlap or a step back). The state is left unchanged, so the caller can decide what to do:
 * drop a duplicate, or flush and start a fresh stream at the gap.
 */
public final class NonContiguousInputException extends IllegalArgumentException {

    private final long expected;
    private final long got;

    public NonContiguousInputException(String what, long expected, long got) {
        super("non-contiguous " + what + ": expected index " + expected + ", got " + got
                + (got > expected ? " (gap of " + (got - expected) + ")" : " (overlap of " + (expected - got) + ")"));
        this.expected = expected;
        this.got = got;
    }

    /** The index the input should have started at. */
    public long expected() {
        return expected;
    }

    /** The index it did start at. */
    public long got() {
        return got;
    }
}
