package io.earshot.evaluation.io;

import java.util.Objects;

/**
 * One sound event: {@code label} active in audio file {@code file} from {@code onset} to
 * {@code offset} seconds. {@code origin} says where it came from ("gt.tsv:12") for error messages;
 * it is empty for events derived from score tables.
 */
public record Event(String file, double onset, double offset, String label, String origin) {
    public Event {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(origin, "origin");
    }

    public Event(String file, double onset, double offset, String label) {
        this(file, onset, offset, label, "");
    }

    public double length() {
        return offset - onset;
    }

    /** True when both events share some time of positive length (touching events do not overlap). */
    public boolean overlaps(Event other) {
        return onset < other.offset && other.onset < offset;
    }
}
