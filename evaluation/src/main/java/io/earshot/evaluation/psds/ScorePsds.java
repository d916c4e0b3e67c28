package io.earshot.evaluation.psds;

import io.earshot.evaluation.io.DcaseInputException;
import io.earshot.evaluation.io.Reference;
import io.earshot.evaluation.io.ScoreTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Exact PSDS from frame-level score tables: every decision threshold at once, as
 * sed_scores_eval computes it (equal to psds_eval given one operating point per distinct score).
 *
 * <p>A frame is active when its score exceeds the threshold, and each run of active frames is one
 * detection. Per file and class the detections only change where the threshold passes one of
 * that file's scores, so each file contributes, at each of its distinct scores, the change of its
 * TP/FP/CT counts. Sorting those changes by score over all files and summing them up gives the
 * counts at every threshold in O(F x L^2) for F files of L frames, instead of re-evaluating the
 * whole data set per threshold.
 */
public final class ScorePsds {
    private ScorePsds() {
    }

    /** @param scores score table per audio file; every file of the reference must have one */
    public static PsdsResult compute(Reference reference, PsdsScenario scenario, Map<String, ScoreTable> scores) {
        for (String file : reference.durations().files()) {
            if (!scores.containsKey(file)) {
                throw new DcaseInputException("no score table for " + file + " (listed in "
                        + reference.durations().source() + ")");
            }
        }
        PsdsCalculator calc = new PsdsCalculator(reference, scenario);
        IntersectionCounter counter = calc.counter();
        int classes = counter.classes().size();
        List<ClassRoc> rocs = new ArrayList<>();
        List<double[]> changeScores = new ArrayList<>();
        for (int c : calc.activeClasses()) {
            List<Change> changes = new ArrayList<>();
            for (String file : reference.durations().files()) {
                collectChanges(counter, file, c, scores.get(file), changes);
            }
            changes.sort((a, b) -> Double.compare(b.score, a.score));
            List<Double> efpr = new ArrayList<>();
            List<Double> tpr = new ArrayList<>();
            int tp = 0;
            int fp = 0;
            int[] ct = new int[classes];
            double[] scoresOfClass = new double[changes.size()];
            int distinct = 0;
            for (int i = 0; i < changes.size(); i++) {
                Change change = changes.get(i);
                tp += change.delta[0];
                fp += change.delta[1];
                for (int k = 0; k < classes; k++) {
                    ct[k] += change.delta[2 + k];
                }
                boolean lastOfScore = i + 1 == changes.size() || changes.get(i + 1).score != change.score;
                if (lastOfScore) {
                    scoresOfClass[distinct++] = change.score;
                    efpr.add(calc.efpr(c, fp, ct));
                    tpr.add(calc.tpr(c, tp));
                }
            }
            rocs.add(ClassRoc.of(toArray(efpr), toArray(tpr)));
            changeScores.add(Arrays.copyOf(scoresOfClass, distinct));
        }
        return calc.result(rocs, List.of(), PsdsResult.Source.SCORES, countDistinct(changeScores));
    }

    /** At {@code score}, lowering the threshold below it changes the counts by {@code delta}. */
    private record Change(double score, int[] delta) {
    }

    private static void collectChanges(IntersectionCounter counter, String file, int c, ScoreTable table,
                                       List<Change> out) {
        double[] column = table.column(counter.classes().get(c));
        double[] levels = column.clone();
        Arrays.sort(levels);
        int frames = column.length;
        double[] on = new double[frames];
        double[] off = new double[frames];
        int[] previous = new int[2 + counter.classes().size()];
        for (int i = levels.length - 1; i >= 0; i--) {
            double level = levels[i];
            if (i + 1 < levels.length && levels[i + 1] == level) {
                continue;
            }
            int n = runsAtOrAbove(table, column, level, on, off);
            int[] counts = counter.countFile(file, c, on, off, n);
            if (!Arrays.equals(counts, previous)) {
                int[] delta = new int[counts.length];
                for (int j = 0; j < counts.length; j++) {
                    delta[j] = counts[j] - previous[j];
                }
                out.add(new Change(level, delta));
                previous = counts;
            }
        }
    }

    /** Detections where score >= level (i.e. above any threshold just below it); returns their count. */
    private static int runsAtOrAbove(ScoreTable table, double[] column, double level, double[] on, double[] off) {
        int n = 0;
        int k = 0;
        while (k < column.length) {
            if (column[k] >= level) {
                int start = k;
                while (k + 1 < column.length && column[k + 1] >= level) {
                    k++;
                }
                on[n] = table.onset(start);
                off[n] = table.offset(k);
                n++;
            }
            k++;
        }
        return n;
    }

    private static int countDistinct(List<double[]> arrays) {
        double[] all = arrays.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        int distinct = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                distinct++;
            }
        }
        return distinct;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
