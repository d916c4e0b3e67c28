package io.earshot.evaluation.psds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.earshot.evaluation.io.Durations;
import io.earshot.evaluation.io.Event;
import io.earshot.evaluation.io.EventTable;
import io.earshot.evaluation.io.Reference;
import io.earshot.evaluation.io.ScoreTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact sweep over score tables must equal psds_eval's method given one detection table per
 * distinct score (every operating point there is), on data it was not tuned on.
 */
class ScorePsdsTest {
    private static final List<String> CLASSES = List.of("Alarm", "Dog", "Speech");
    private static final int FRAMES = 48;
    private static final double HOP = 0.25;

    record Data(Reference reference, Map<String, ScoreTable> scores) {
    }

    /** Random ground truth and scores that loosely follow it; {@code grid} > 0 rounds scores to it. */
    static Data randomData(long seed, int files, double grid) {
        Random rnd = new Random(seed);
        Map<String, Double> durations = new LinkedHashMap<>();
        List<Event> truth = new ArrayList<>();
        Map<String, ScoreTable> scores = new LinkedHashMap<>();
        for (int f = 0; f < files; f++) {
            String file = "clip" + f + ".wav";
            durations.put(file, FRAMES * HOP);
            double[] on = new double[FRAMES];
            double[] off = new double[FRAMES];
            for (int k = 0; k < FRAMES; k++) {
                on[k] = k * HOP;
                off[k] = (k + 1) * HOP;
            }
            double[][] s = new double[CLASSES.size()][FRAMES];
            for (int c = 0; c < CLASSES.size(); c++) {
                boolean[] active = new boolean[FRAMES];
                double t = rnd.nextDouble() * 3;
                while (t < FRAMES * HOP - 1) {
                    double length = 0.3 + rnd.nextDouble() * 3;
                    double end = Math.min(t + length, FRAMES * HOP);
                    truth.add(new Event(file, t, end, CLASSES.get(c)));
                    for (int k = 0; k < FRAMES; k++) {
                        active[k] |= off[k] > t && on[k] < end;
                    }
                    t = end + 0.5 + rnd.nextDouble() * 5;
                }
                for (int k = 0; k < FRAMES; k++) {
                    double v = (active[k] ? 0.45 : 0.0) + 0.55 * rnd.nextDouble();
                    s[c][k] = grid > 0 ? Math.round(v / grid) * grid : v;
                }
            }
            scores.put(file, new ScoreTable(file, on, off, CLASSES, s));
        }
        truth.sort((a, b) -> a.file().equals(b.file()) ? Double.compare(a.onset(), b.onset())
                : a.file().compareTo(b.file()));
        Reference reference = new Reference(EventTable.of("truth", truth), new Durations("durations", durations),
                CLASSES);
        return new Data(reference, scores);
    }

    /** One detection table per distinct score: thresholds between neighbouring scores, and one below all. */
    static List<EventTable> everyOperatingPoint(Map<String, ScoreTable> scores) {
        TreeSet<Double> values = new TreeSet<>();
        for (ScoreTable t : scores.values()) {
            for (String label : t.classes()) {
                for (double v : t.column(label)) {
                    values.add(v);
                }
            }
        }
        Double[] sorted = values.toArray(new Double[0]);
        List<EventTable> ops = new ArrayList<>();
        ops.add(ScoreTable.detectionsAbove(scores, sorted[0] - 1));
        for (int i = 0; i + 1 < sorted.length; i++) {
            ops.add(ScoreTable.detectionsAbove(scores, (sorted[i] + sorted[i + 1]) / 2));
        }
        return ops;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void exactSweepEqualsPsdsEvalOverEveryOperatingPoint(long seed) {
        Data data = randomData(seed, 5, seed % 2 == 0 ? 0.05 : 0);
        List<EventTable> ops = everyOperatingPoint(data.scores());
        double largest = 0;
        for (PsdsScenario scenario : List.of(PsdsScenario.DCASE_SCENARIO_1, PsdsScenario.DCASE_SCENARIO_2,
                new PsdsScenario("loose", 0.3, 0.3, 0.2, 1.0, 0.0, 2000.0))) {
            PsdsResult exact = ScorePsds.compute(data.reference(), scenario, data.scores());
            PsdsResult sampled = DetectionPsds.compute(data.reference(), scenario, ops);
            assertEquals(sampled.value(), exact.value(), 1e-12, scenario.name());
            double[][] a = exact.roc().upTo(scenario.maxEfpr());
            double[][] b = sampled.roc().upTo(scenario.maxEfpr());
            assertArrayEquals(b[0], a[0], 1e-9, scenario.name() + " efpr");
            assertArrayEquals(b[1], a[1], 1e-12, scenario.name() + " etpr");
            assertEquals(sampled.singleClass(), exact.singleClass(), scenario.name());
            largest = Math.max(largest, exact.value());
        }
        assertTrue(largest > 0.2, "a non-trivial curve was compared: " + largest);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6})
    void coarserOperatingPointsNeverBeatTheExactScore(long seed) {
        Data data = randomData(seed, 6, 0);
        List<EventTable> all = everyOperatingPoint(data.scores());
        List<EventTable> coarse = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 7) {
            coarse.add(all.get(i));
        }
        PsdsScenario scenario = new PsdsScenario("loose", 0.1, 0.1, 0.3, 0.5, 0.0, 1000.0);
        double exact = ScorePsds.compute(data.reference(), scenario, data.scores()).value();
        double sampled = DetectionPsds.compute(data.reference(), scenario, coarse).value();
        assertTrue(exact > 0, "the random system finds something: " + exact);
        // with alpha_st = 0 the PSD-ROC is the mean of per-class staircases, which can only lose
        // steps when operating points are left out
        assertTrue(sampled <= exact + 1e-12, sampled + " > " + exact);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void thresholdCountIsTheNumberOfDistinctScoresThatChangeSomething(int gridded) {
        Data data = randomData(9, 3, gridded == 1 ? 0.1 : 0);
        PsdsResult r = ScorePsds.compute(data.reference(), PsdsScenario.DCASE_SCENARIO_2, data.scores());
        long distinct = data.scores().values().stream()
                .flatMapToDouble(t -> CLASSES.stream().flatMapToDouble(c -> Arrays.stream(t.column(c))))
                .distinct().count();
        assertTrue(r.thresholds() > 0 && r.thresholds() <= distinct, r.thresholds() + " vs " + distinct);
        assertEquals(PsdsResult.Source.SCORES, r.source());
        assertTrue(r.operatingPoints().isEmpty());
    }
}
