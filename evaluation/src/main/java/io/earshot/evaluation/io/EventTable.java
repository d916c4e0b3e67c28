package io.earshot.evaluation.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Events of a DCASE event list (ground truth, detections or one operating point), grouped by
 * audio file. Files and the events of each file keep the order in which they were read:
 * sed_eval's substitution count depends on it.
 */
public final class EventTable {
    private final String source;
    private final Map<String, List<Event>> byFile;
    private final int size;

    /** @param byFile events per file; files listed without events map to an empty list */
    public EventTable(String source, Map<String, List<Event>> byFile) {
        this.source = source;
        Map<String, List<Event>> copy = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, List<Event>> e : byFile.entrySet()) {
            copy.put(e.getKey(), List.copyOf(e.getValue()));
            n += e.getValue().size();
        }
        this.byFile = Collections.unmodifiableMap(copy);
        this.size = n;
    }

    public static EventTable of(String source, List<Event> events) {
        Map<String, List<Event>> byFile = new LinkedHashMap<>();
        for (Event e : events) {
            byFile.computeIfAbsent(e.file(), f -> new ArrayList<>()).add(e);
        }
        return new EventTable(source, byFile);
    }

    /** Where the table came from, e.g. a path; used in error messages. */
    public String source() {
        return source;
    }

    /** Files mentioned in the table (with or without events), in reading order. */
    public Set<String> files() {
        return byFile.keySet();
    }

    /** The events of one file in reading order; empty if the file has none. */
    public List<Event> eventsOf(String file) {
        return byFile.getOrDefault(file, List.of());
    }

    public List<Event> all() {
        List<Event> all = new ArrayList<>(size);
        byFile.values().forEach(all::addAll);
        return all;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The distinct labels, sorted. */
    public TreeSet<String> labels() {
        TreeSet<String> labels = new TreeSet<>();
        byFile.values().forEach(events -> events.forEach(e -> labels.add(e.label())));
        return labels;
    }

    /**
     * Fails if two events of the same class overlap in one file (touching is fine). psds_eval
     * (0.4 and later) refuses such tables because the intersection criteria would count the
     * shared time twice.
     */
    public void requireNoSameClassOverlap() {
        for (Map.Entry<String, List<Event>> entry : byFile.entrySet()) {
            List<Event> events = new ArrayList<>(entry.getValue());
            events.sort((a, b) -> {
                int c = a.label().compareTo(b.label());
                return c != 0 ? c : Double.compare(a.onset(), b.onset());
            });
            Event furthest = null; // of the current class, the event reaching furthest so far
            for (Event current : events) {
                if (furthest != null && furthest.label().equals(current.label())) {
                    if (furthest.overlaps(current)) {
                        throw new DcaseInputException(describe(furthest) + " and " + describe(current)
                                + ": overlapping '" + current.label() + "' events in file " + entry.getKey()
                                + " (PSDS needs the events of one class to be disjoint; merge them first)");
                    }
                    if (current.offset() > furthest.offset()) {
                        furthest = current;
                    }
                } else {
                    furthest = current;
                }
            }
        }
    }

    private String describe(Event e) {
        return e.origin().isEmpty() ? source + " [" + e.onset() + ", " + e.offset() + "]" : e.origin();
    }
}
