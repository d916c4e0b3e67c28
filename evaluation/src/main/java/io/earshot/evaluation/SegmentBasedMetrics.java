package io.earshot.evaluation;

import io.earshot.evaluation.io.Event;
import io.earshot.evaluation.io.EventTable;
import io.earshot.evaluation.io.Reference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Segment-based metrics with sed_eval's semantics ({@code SegmentBasedMetrics(time_resolution)},
 * {@code evaluate(..., evaluated_length_seconds=file duration)}).
 *
 * <p>Each file is cut into ceil(duration / segment) segments; a class is active in segment k when
 * an event of it has floor(onset / segment) <= k < ceil(offset / segment). Overall S/D/I are
 * counted per segment (S = min(Nref, Nsys) - TP, D = max(0, Nref - Nsys), I = max(0, Nsys - Nref)).
 */
public final class SegmentBasedMetrics {
    private final double segmentSeconds;
    private final EmptyOutputPolicy emptyOutput;

    public SegmentBasedMetrics(double segmentSeconds, EmptyOutputPolicy emptyOutput) {
        if (!(segmentSeconds > 0)) {
            throw new IllegalArgumentException("segment length must be > 0: " + segmentSeconds);
        }
        this.segmentSeconds = segmentSeconds;
        this.emptyOutput = emptyOutput;
    }

    /** DCASE's usual setting: 1 s segments. */
    public static SegmentBasedMetrics oneSecond() {
        return new SegmentBasedMetrics(1.0, EmptyOutputPolicy.UNDEFINED);
    }

    public double segmentSeconds() {
        return segmentSeconds;
    }

    public SedMetrics evaluate(Reference reference, EventTable system) {
        reference.requireKnown(system);
        List<String> classes = reference.classes();
        Counts overall = Counts.ZERO;
        long[][] perClass = new long[classes.size()][4]; // tp, tn, fp, fn
        long[][] perClassRefSys = new long[classes.size()][2];
        for (String file : reference.durations().files()) {
            int segments = (int) Math.ceil(reference.durations().of(file) * 1 / segmentSeconds);
            boolean[][] ref = roll(reference.groundTruthOf(file), classes, segments);
            boolean[][] sys = roll(system.eventsOf(file), classes, segments);
            for (int k = 0; k < segments; k++) {
                long tp = 0, tn = 0, fp = 0, fn = 0, nRef = 0, nSys = 0;
                for (int c = 0; c < classes.size(); c++) {
                    boolean r = ref[k][c];
                    boolean s = sys[k][c];
                    tp += r && s ? 1 : 0;
                    tn += !r && !s ? 1 : 0;
                    fp += s && !r ? 1 : 0;
                    fn += r && !s ? 1 : 0;
                    nRef += r ? 1 : 0;
                    nSys += s ? 1 : 0;
                    long[] cls = perClass[c];
                    cls[0] += r && s ? 1 : 0;
                    cls[1] += !r && !s ? 1 : 0;
                    cls[2] += s && !r ? 1 : 0;
                    cls[3] += r && !s ? 1 : 0;
                    perClassRefSys[c][0] += r ? 1 : 0;
                    perClassRefSys[c][1] += s ? 1 : 0;
                }
                long substitutions = Math.min(nRef, nSys) - tp;
                long deletions = Math.max(0, nRef - nSys);
                long insertions = Math.max(0, nSys - nRef);
                overall = overall.plus(new Counts(nRef, nSys, tp, fp, fn, tn, substitutions, deletions, insertions));
            }
        }
        Map<String, Counts> classCounts = new LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            long[] n = perClass[c];
            classCounts.put(classes.get(c), new Counts(perClassRefSys[c][0], perClassRefSys[c][1], n[0], n[2], n[3],
                    n[1], 0, n[3], n[2]));
        }
        return SedMetrics.of(overall, classCounts, emptyOutput);
    }

    /** Activity of each class per segment; events past the evaluated length are cut off. */
    private boolean[][] roll(List<Event> events, List<String> classes, int segments) {
        boolean[][] roll = new boolean[segments][classes.size()];
        for (Event e : events) {
            int c = classes.indexOf(e.label());
            int first = (int) Math.floor(e.onset() * 1 / segmentSeconds);
            int end = (int) Math.ceil(e.offset() * 1 / segmentSeconds);
            for (int k = first; k < Math.min(end, segments); k++) {
                roll[k][c] = true;
            }
        }
        return roll;
    }
}
