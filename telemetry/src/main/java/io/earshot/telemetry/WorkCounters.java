package io.earshot.telemetry;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The work a detector has done, for energy normalisation: audio seconds processed and model
 * inferences run. Thread-safe and cheap to increment from stream threads.
 */
public final class WorkCounters {

    private final DoubleAdder audioSeconds = new DoubleAdder();
    private final LongAdder inferences = new LongAdder();

    /** Adds processed audio, given as a sample count at a sample rate. */
    public void addAudioSamples(long samples, int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        addAudioSeconds(samples / (double) sampleRate);
    }

    /** Adds processed audio in seconds. */
    public void addAudioSeconds(double seconds) {
        if (seconds < 0 || Double.isNaN(seconds)) {
            throw new IllegalArgumentException("audio seconds must be >= 0, got " + seconds);
        }
        audioSeconds.add(seconds);
    }

    /** Adds model inferences (one per window run through the model). */
    public void addInferences(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("inference count must be >= 0, got " + count);
        }
        inferences.add(count);
    }

    public double audioSeconds() {
        return audioSeconds.sum();
    }

    public long inferences() {
        return inferences.sum();
    }

    /** Totals at one moment; the difference of two snapshots is the work of an interval. */
    public Snapshot snapshot() {
        return new Snapshot(audioSeconds.sum(), inferences.sum());
    }

    /** Totals of the counters at one moment. */
    public record Snapshot(double audioSeconds, long inferences) {
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(audioSeconds - earlier.audioSeconds, inferences - earlier.inferences);
        }
    }
}
