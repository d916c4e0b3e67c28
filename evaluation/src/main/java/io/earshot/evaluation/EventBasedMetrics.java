package io.earshot.evaluation;

import io.earshot.evaluation.io.Event;
import io.earshot.evaluation.io.EventTable;
import io.earshot.evaluation.io.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event-based (collar-based) metrics with sed_eval's semantics
 * ({@code EventBasedMetrics(t_collar, percentage_of_length, evaluate_onset=True,
 * evaluate_offset=True, event_matching_type='optimal')}).
 *
 * <p>A system event matches a reference event of the same class when its onset lies within the
 * collar of the reference onset and its offset within max(collar, percentage x reference length)
 * of the reference offset, both tested as {@code |a - b| <= limit} in plain double arithmetic.
 * Each file is matched on its own with a maximum bipartite matching; reference and system events
 * left unmatched are then paired greedily, regardless of class, into substitutions, in
 * (onset, offset, label) order.
 */
public final class EventBasedMetrics {
    /** Collar and offset tolerance. */
    public record Config(double collarSeconds, double percentageOfLength, EmptyOutputPolicy emptyOutput) {
        /** DCASE's usual setting: 200 ms collar, offset within max(200 ms, 20 % of the event length). */
        public static final Config DCASE = new Config(0.2, 0.2, EmptyOutputPolicy.UNDEFINED);

        public Config {
            if (!(collarSeconds > 0)) {
                throw new IllegalArgumentException("collar must be > 0: " + collarSeconds);
            }
            if (!(percentageOfLength >= 0 && percentageOfLength <= 1)) {
                throw new IllegalArgumentException("percentage of length must be in [0, 1]: " + percentageOfLength);
            }
        }

        public Config withEmptyOutput(EmptyOutputPolicy policy) {
            return new Config(collarSeconds, percentageOfLength, policy);
        }
    }

    private final Config config;

    public EventBasedMetrics(Config config) {
        this.config = config;
    }

    /** Evaluates every file of the reference; {@code system} must only name known files and classes. */
    public SedMetrics evaluate(Reference reference, EventTable system) {
        reference.requireKnown(system);
        Counts overall = Counts.ZERO;
        Map<String, Counts> perClass = new LinkedHashMap<>();
        for (String label : reference.classes()) {
            perClass.put(label, Counts.ZERO);
        }
        for (String file : reference.durations().files()) {
            List<Event> ref = inTimeOrder(reference.groundTruthOf(file));
            List<Event> sys = inTimeOrder(system.eventsOf(file));
            overall = overall.plus(overallCounts(ref, sys));
            for (String label : reference.classes()) {
                perClass.merge(label, classCounts(only(ref, label), only(sys, label)), Counts::plus);
            }
        }
        return SedMetrics.of(overall, perClass, config.emptyOutput());
    }

    private Counts overallCounts(List<Event> ref, List<Event> sys) {
        boolean[] refMatched = new boolean[ref.size()];
        boolean[] sysMatched = new boolean[sys.size()];
        Map<Integer, Integer> matching = maximumMatching(ref, sys, true);
        matching.forEach((r, s) -> {
            refMatched[r] = true;
            sysMatched[s] = true;
        });
        int tp = matching.size();
        // sed_eval: each unmatched reference takes the first unmatched, not yet substituted
        // system event within the collars, whatever its class
        int substitutions = 0;
        boolean[] substituted = new boolean[sys.size()];
        for (int r = 0; r < ref.size(); r++) {
            if (refMatched[r]) {
                continue;
            }
            for (int s = 0; s < sys.size(); s++) {
                if (!sysMatched[s] && !substituted[s] && withinCollars(ref.get(r), sys.get(s))) {
                    substituted[s] = true;
                    substitutions++;
                    break;
                }
            }
        }
        int fp = sys.size() - tp - substitutions;
        int fn = ref.size() - tp - substitutions;
        return new Counts(ref.size(), sys.size(), tp, fp, fn, 0, substitutions, fn, fp);
    }

    private Counts classCounts(List<Event> ref, List<Event> sys) {
        int tp = maximumMatching(ref, sys, false).size();
        int fp = sys.size() - tp;
        int fn = ref.size() - tp;
        return new Counts(ref.size(), sys.size(), tp, fp, fn, 0, 0, fn, fp);
    }

    /** Reference index -> system index, built the way sed_eval feeds its matcher. */
    private Map<Integer, Integer> maximumMatching(List<Event> ref, List<Event> sys, boolean checkLabel) {
        LinkedHashMap<Integer, List<Integer>> graph = new LinkedHashMap<>(); // system -> references
        for (int r = 0; r < ref.size(); r++) {
            for (int s = 0; s < sys.size(); s++) {
                Event a = ref.get(r);
                Event b = sys.get(s);
                if ((!checkLabel || a.label().equals(b.label())) && withinCollars(a, b)) {
                    graph.computeIfAbsent(s, k -> new ArrayList<>()).add(r);
                }
            }
        }
        return HopcroftKarpMatcher.match(graph);
    }

    private boolean withinCollars(Event ref, Event sys) {
        boolean onset = Math.abs(ref.onset() - sys.onset()) <= config.collarSeconds();
        double annotatedLength = ref.offset() - ref.onset();
        boolean offset = Math.abs(ref.offset() - sys.offset())
                <= Math.max(config.collarSeconds(), config.percentageOfLength() * annotatedLength);
        return onset && offset;
    }

    /**
     * sed_eval takes events in list order, and its greedy substitution count depends on that
     * order; sorting by (onset, offset, label), the order the DCASE tools' reference vectors use,
     * makes the result independent of how a file happens to be ordered.
     */
    private static List<Event> inTimeOrder(List<Event> events) {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(java.util.Comparator.comparingDouble(Event::onset).thenComparingDouble(Event::offset)
                .thenComparing(Event::label));
        return sorted;
    }

    private static List<Event> only(List<Event> events, String label) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.label().equals(label)) {
                out.add(e);
            }
        }
        return out;
    }
}
