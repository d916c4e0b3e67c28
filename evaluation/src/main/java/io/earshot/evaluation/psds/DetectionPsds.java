package io.earshot.evaluation.psds;

import io.earshot.evaluation.io.Event;
import io.earshot.evaluation.io.EventTable;
import io.earshot.evaluation.io.Reference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PSDS from detection tables, one per operating point (psds_eval's {@code add_operating_point}
 * then {@code psds}). Tables with the same events (zero-length ones dropped) count once, as in
 * psds_eval. Overlapping events of one class, in the ground truth or in a table, are refused.
 */
public final class DetectionPsds {
    private DetectionPsds() {
    }

    public static PsdsResult compute(Reference reference, PsdsScenario scenario, List<EventTable> operatingPoints) {
        if (operatingPoints.isEmpty()) {
            throw new IllegalArgumentException("PSDS needs at least one operating point");
        }
        PsdsCalculator calc = new PsdsCalculator(reference, scenario);
        List<OperatingPointCounts> kept = new ArrayList<>();
        List<OperatingPointRates> rates = new ArrayList<>();
        Set<List<String>> seen = new HashSet<>();
        for (EventTable table : operatingPoints) {
            reference.requireKnown(table);
            table.requireNoSameClassOverlap();
            if (!seen.add(canonical(table))) {
                continue;
            }
            OperatingPointCounts counts = calc.counter().count(table);
            kept.add(counts);
            rates.add(calc.rates(table.source(), counts));
        }
        int[] active = calc.activeClasses();
        List<ClassRoc> rocs = new ArrayList<>();
        for (int c : active) {
            double[] efpr = new double[kept.size()];
            double[] tpr = new double[kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                OperatingPointCounts counts = kept.get(i);
                efpr[i] = calc.efpr(c, counts.fp[c], counts.ct[c]);
                tpr[i] = calc.tpr(c, counts.tp[c]);
            }
            rocs.add(ClassRoc.of(efpr, tpr));
        }
        return calc.result(rocs, rates, PsdsResult.Source.DETECTIONS, operatingPoints.size());
    }

    /** Intersection-based F1 of one detection table (see {@link IntersectionF1}). */
    public static IntersectionF1 f1(Reference reference, IntersectionCriteria criteria, EventTable detections) {
        reference.requireKnown(detections);
        reference.groundTruth().requireNoSameClassOverlap();
        detections.requireNoSameClassOverlap();
        IntersectionCounter counter = new IntersectionCounter(reference, criteria);
        return IntersectionF1.of(counter, counter.count(detections));
    }

    /** The events of positive length, sorted: two tables with the same list are one operating point. */
    private static List<String> canonical(EventTable table) {
        List<Event> events = new ArrayList<>();
        for (Event e : table.all()) {
            if (e.length() > 0) {
                events.add(e);
            }
        }
        events.sort(Comparator.comparing(Event::file).thenComparingDouble(Event::onset)
                .thenComparingDouble(Event::offset).thenComparing(Event::label));
        List<String> keys = new ArrayList<>(events.size());
        for (Event e : events) {
            keys.add(e.file() + '\t' + Double.doubleToLongBits(e.onset()) + '\t'
                    + Double.doubleToLongBits(e.offset()) + '\t' + e.label());
        }
        return keys;
    }
}
