package io.earshot.ingest.replay;

/**
 * How fast a replay sends audio: {@code speed} seconds of audio per wall-clock second, or as fast as
 * Kafka takes it ({@link #maxSpeed()}).
 */
public record Pacing(double speed) {

    public Pacing {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("replay speed must be positive, got " + speed);
        }
    }

    /** Real time: each chunk is sent when a live source would have captured it. */
    public static Pacing realTime() {
        return new Pacing(1.0);
    }

    public static Pacing maxSpeed() {
        return new Pacing(Double.POSITIVE_INFINITY);
    }

    public static Pacing of(double speed) {
        return new Pacing(speed);
    }

    public boolean unpaced() {
        return Double.isInfinite(speed);
    }

    public boolean isRealTime() {
        return speed == 1.0;
    }

    /** Wall-clock nanoseconds after the replay start at which audio time {@code audioSeconds} is due. */
    long dueNanos(double audioSeconds) {
        return unpaced() ? 0 : (long) (audioSeconds / speed * 1e9);
    }

    @Override
    public String toString() {
        return unpaced() ? "max speed" : isRealTime() ? "real time" : speed + "x real time";
    }
}
