package io.earshot.detector.inference;

/** Told about every model call, for metrics. */
@FunctionalInterface
public interface BatchListener {

    BatchListener NONE = (windows, nanos) -> { };

    /** One batch of {@code windows} windows ran in {@code nanos} nanoseconds. */
    void batchDone(int windows, long nanos);
}
