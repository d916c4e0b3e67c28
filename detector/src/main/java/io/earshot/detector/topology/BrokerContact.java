package io.earshot.detector.topology;

/**
 * Whether the detector hears from the broker. A source's idle time counts only while it does: while
 * the broker is away every source looks silent, and closing their segments then would make a broker
 * outage change the events (an uninterrupted run would not close them).
 */
@FunctionalInterface
public interface BrokerContact {

    /** Answers for a detector whose broker is always there (tests without a broker). */
    BrokerContact ALWAYS = nowMs -> Long.MIN_VALUE;

    /**
     * The wall-clock time (ms) since which the broker has been answering without a gap, or
     * {@link Long#MAX_VALUE} while it is not answering. Called on the idle check, every second at most.
     */
    long answeringSinceMs(long nowMs);
}
