package io.earshot.evaluation.psds;

import io.earshot.evaluation.io.DcaseInputException;
import io.earshot.evaluation.io.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns intersection counts into per-class rates and the PSDS. Shared by the detection-table
 * and the score-table routes so that both give the same number for the same operating points.
 * Only classes with ground-truth events take part (psds_eval derives its classes from the
 * ground truth).
 */
final class PsdsCalculator {
    private static final double SECONDS_PER_HOUR = 3600.0;

    private final PsdsScenario scenario;
    private final IntersectionCounter counter;
    /** Indices (into the reference classes) of the classes taking part. */
    private final int[] active;

    PsdsCalculator(Reference reference, PsdsScenario scenario) {
        reference.groundTruth().requireNoSameClassOverlap();
        this.scenario = scenario;
        this.counter = new IntersectionCounter(reference, scenario.criteria());
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < counter.classes().size(); c++) {
            if (counter.refCount(c) > 0) {
                present.add(c);
            }
        }
        if (present.isEmpty()) {
            throw DcaseInputException.in(reference.groundTruth().source(), "PSDS needs ground-truth events");
        }
        this.active = present.stream().mapToInt(Integer::intValue).toArray();
    }

    IntersectionCounter counter() {
        return counter;
    }

    PsdsScenario scenario() {
        return scenario;
    }

    int[] activeClasses() {
        return active;
    }

    List<String> activeClassNames() {
        List<String> names = new ArrayList<>();
        for (int c : active) {
            names.add(counter.classes().get(c));
        }
        return names;
    }

    double tpr(int c, int tp) {
        return tp / (double) counter.refCount(c);
    }

    double fprPerHour(int fp) {
        return fp * SECONDS_PER_HOUR / counter.datasetSeconds();
    }

    double ctrPerHour(int k, int ct) {
        return ct * SECONDS_PER_HOUR / counter.refSeconds(k);
    }

    /** FPR plus alpha_ct times the mean cross-trigger rate over the other active classes. */
    double efpr(int c, int fp, int[] ctOfClass) {
        double fpr = fprPerHour(fp);
        if (scenario.alphaCt() == 0 || active.length < 2) {
            return fpr;
        }
        double sum = 0;
        for (int k : active) {
            if (k != c) {
                sum += ctrPerHour(k, ctOfClass[k]);
            }
        }
        return fpr + scenario.alphaCt() * (sum / (active.length - 1));
    }

    OperatingPointRates rates(String name, OperatingPointCounts counts) {
        Map<String, Double> tpr = new LinkedHashMap<>();
        Map<String, Double> fpr = new LinkedHashMap<>();
        Map<String, Map<String, Double>> ctr = new LinkedHashMap<>();
        List<String> names = counter.classes();
        for (int c : active) {
            tpr.put(names.get(c), tpr(c, counts.tp[c]));
            fpr.put(names.get(c), fprPerHour(counts.fp[c]));
            Map<String, Double> row = new LinkedHashMap<>();
            for (int k : active) {
                if (k != c) {
                    row.put(names.get(k), ctrPerHour(k, counts.ct[c][k]));
                }
            }
            ctr.put(names.get(c), row);
        }
        return new OperatingPointRates(name, tpr, fpr, ctr);
    }

    /** Builds the result from each active class's ROC (listed in {@link #activeClasses()} order). */
    PsdsResult result(List<ClassRoc> rocs, List<OperatingPointRates> operatingPoints, PsdsResult.Source source,
                      int thresholds) {
        // psds_eval reports the whole curve; sed_scores_eval (and its potentially huge exact
        // curves) only the part up to max_efpr, which is all the score depends on
        double limit = source == PsdsResult.Source.SCORES ? scenario.maxEfpr() : Double.POSITIVE_INFINITY;
        PsdRoc roc = PsdRoc.combine(rocs, scenario.alphaSt(), limit);
        Map<String, Double> single = new LinkedHashMap<>();
        List<String> names = activeClassNames();
        for (int i = 0; i < names.size(); i++) {
            single.put(names.get(i), rocs.get(i).normalisedArea(scenario.maxEfpr()));
        }
        return new PsdsResult(scenario, roc.normalisedArea(scenario.maxEfpr()), roc, single, names,
                List.copyOf(operatingPoints), source, thresholds);
    }
}
