package io.earshot.evaluation.io;

import java.util.List;

/**
 * What a system is evaluated against: the ground-truth events, the audio files with their
 * durations, and the class list. Unless given, the classes are the ground-truth labels, sorted.
 */
public final class Reference {
    private final EventTable groundTruth;
    private final Durations durations;
    private final List<String> classes;

    public Reference(EventTable groundTruth, Durations durations) {
        this(groundTruth, durations, List.copyOf(groundTruth.labels()));
    }

    public Reference(EventTable groundTruth, Durations durations, List<String> classes) {
        if (classes.isEmpty()) {
            throw DcaseInputException.in(groundTruth.source(), "no event classes (the ground truth has no events"
                    + " and no class list was given)");
        }
        if (classes.stream().distinct().count() != classes.size()) {
            throw new IllegalArgumentException("duplicate class in " + classes);
        }
        this.groundTruth = groundTruth;
        this.durations = durations;
        this.classes = List.copyOf(classes);
        requireKnown(groundTruth);
    }

    public EventTable groundTruth() {
        return groundTruth;
    }

    public Durations durations() {
        return durations;
    }

    public List<String> classes() {
        return classes;
    }

    public List<Event> groundTruthOf(String file) {
        return groundTruth.eventsOf(file);
    }

    /** Fails on the first event of {@code table} in a file not in the durations list or with an unknown class. */
    public void requireKnown(EventTable table) {
        for (String file : table.files()) {
            if (!durations.contains(file)) {
                List<Event> events = table.eventsOf(file);
                String where = events.isEmpty() ? table.source() : events.get(0).origin();
                throw new DcaseInputException(where + ": file '" + file + "' is not listed in " + durations.source());
            }
            for (Event e : table.eventsOf(file)) {
                if (!classes.contains(e.label())) {
                    throw new DcaseInputException(e.origin() + ": unknown event label '" + e.label() + "' (classes: "
                            + String.join(", ", classes) + ")");
                }
            }
        }
    }
}
