package io.earshot.evaluation.psds;

import io.earshot.evaluation.io.Event;
import io.earshot.evaluation.io.EventTable;
import io.earshot.evaluation.io.Reference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts true positives, false positives and cross-triggers under {@link IntersectionCriteria}
 * for the classes of a {@link Reference}. Zero-length events (ground truth or detected) are
 * ignored, as psds_eval does.
 */
final class IntersectionCounter {
    /** The ground truth of one file: per class, event onsets and offsets sorted by onset. */
    private record FileTruth(double duration, double[][] onsets, double[][] offsets) {
    }

    private final IntersectionCriteria criteria;
    private final List<String> classes;
    private final Map<String, FileTruth> files = new HashMap<>();
    private final int[] refCount;
    private final double[] refSeconds;
    private final double datasetSeconds;

    IntersectionCounter(Reference reference, IntersectionCriteria criteria) {
        this.criteria = criteria;
        this.classes = reference.classes();
        int k = classes.size();
        this.refCount = new int[k];
        this.refSeconds = new double[k];
        double total = 0;
        for (String file : reference.durations().files()) {
            double duration = reference.durations().of(file);
            total += duration;
            List<Event> events = new ArrayList<>(reference.groundTruthOf(file));
            events.sort(Comparator.comparingDouble(Event::onset));
            double[][] onsets = new double[k][];
            double[][] offsets = new double[k][];
            for (int c = 0; c < k; c++) {
                String label = classes.get(c);
                List<Event> own = events.stream().filter(e -> e.label().equals(label) && e.length() > 0).toList();
                onsets[c] = own.stream().mapToDouble(Event::onset).toArray();
                offsets[c] = own.stream().mapToDouble(Event::offset).toArray();
                refCount[c] += own.size();
                for (Event e : own) {
                    refSeconds[c] += e.offset() - e.onset();
                }
            }
            files.put(file, new FileTruth(duration, onsets, offsets));
        }
        this.datasetSeconds = total;
    }

    List<String> classes() {
        return classes;
    }

    IntersectionCriteria criteria() {
        return criteria;
    }

    /** Ground-truth events of positive length per class. */
    int refCount(int c) {
        return refCount[c];
    }

    /** Summed length of the ground-truth events of a class, in seconds. */
    double refSeconds(int c) {
        return refSeconds[c];
    }

    /** Summed length of all audio files, in seconds. */
    double datasetSeconds() {
        return datasetSeconds;
    }

    /** Counts for a whole detection table (every file, every class). */
    OperatingPointCounts count(EventTable detections) {
        OperatingPointCounts total = new OperatingPointCounts(classes.size());
        for (Map.Entry<String, FileTruth> entry : files.entrySet()) {
            List<Event> events = detections.eventsOf(entry.getKey());
            for (int c = 0; c < classes.size(); c++) {
                String label = classes.get(c);
                List<Event> own = events.stream().filter(e -> e.label().equals(label)).toList();
                double[] on = own.stream().mapToDouble(Event::onset).toArray();
                double[] off = own.stream().mapToDouble(Event::offset).toArray();
                total.add(c, countFile(entry.getKey(), c, on, off, on.length));
            }
        }
        return total;
    }

    /**
     * Counts for the detections of class {@code c} in one file, given as intervals
     * [on[i], off[i]] for i < n. Returns {tp, fp, ct_0, ..., ct_{K-1}} (ct_c is 0).
     */
    int[] countFile(String file, int c, double[] on, double[] off, int n) {
        FileTruth truth = files.get(file);
        double[] gOn = truth.onsets()[c];
        double[] gOff = truth.offsets()[c];
        int[] out = new int[2 + classes.size()];

        boolean[] relevant = new boolean[n];
        for (int d = 0; d < n; d++) {
            double length = off[d] - on[d];
            if (length > 0) {
                relevant[d] = coveredShare(on[d], off[d], length, gOn, gOff, criteria.dtc());
            }
        }
        for (int g = 0; g < gOn.length; g++) {
            double length = gOff[g] - gOn[g];
            double covered = 0;
            boolean any = false;
            for (int d = 0; d < n; d++) {
                if (relevant[d] && on[d] < gOff[g] && gOn[g] < off[d]) {
                    any = true;
                    covered += (Math.min(off[d], gOff[g]) - Math.max(on[d], gOn[g])) / length;
                }
            }
            if (any && covered >= criteria.gtc()) {
                out[0]++;
            }
        }
        for (int d = 0; d < n; d++) {
            double length = off[d] - on[d];
            if (relevant[d] || !(length > 0)) {
                continue;
            }
            if (on[d] < truth.duration() && 0 < off[d]) {
                out[1]++; // psds_eval counts a false positive against the file ("world") it intersects
            }
            if (criteria.cttc() != null) {
                for (int k = 0; k < classes.size(); k++) {
                    if (k != c && coveredShare(on[d], off[d], length, truth.onsets()[k], truth.offsets()[k],
                            criteria.cttc())) {
                        out[2 + k]++;
                    }
                }
            }
        }
        return out;
    }

    /**
     * True when [on, off] intersects at least one of the intervals and the intersected fractions
     * of its length sum to at least {@code threshold}.
     */
    private static boolean coveredShare(double on, double off, double length, double[] gOn, double[] gOff,
                                        double threshold) {
        double share = 0;
        boolean any = false;
        for (int g = 0; g < gOn.length; g++) {
            if (on < gOff[g] && gOn[g] < off) {
                any = true;
                share += (Math.min(off, gOff[g]) - Math.max(on, gOn[g])) / length;
            }
        }
        return any && share >= threshold;
    }
}
