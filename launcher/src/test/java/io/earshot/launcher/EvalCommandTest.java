package io.earshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code earshot eval} end to end: flags, files, output, and the errors a user sees. */
class EvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @TempDir
    Path dir;
    Path gt;
    Path durations;
    Path detections;

    @BeforeEach
    void files() throws IOException {
        gt = Files.write(dir.resolve("gt.tsv"), List.of("filename\tonset\toffset\tevent_label",
                "a.wav\t1.0\t3.0\tDog", "a.wav\t4.0\t5.0\tCat", "b.wav\t2.0\t4.0\tDog"));
        durations = Files.write(dir.resolve("dur.tsv"), List.of("filename\tduration", "a.wav\t10.0", "b.wav\t10.0"));
        detections = Files.write(dir.resolve("det.tsv"), List.of("filename\tonset\toffset\tevent_label",
                "a.wav\t1.1\t2.9\tDog", "b.wav\t2.05\t4.1\tDog"));
    }

    @Test
    void jsonForDetections() throws IOException {
        Result r = run("eval", "--ground-truth", gt.toString(), "--durations", durations.toString(),
                "--detections", detections.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = JSON.readTree(r.out());
        JsonNode micro = json.get("event_based").get("micro");
        assertEquals(1.0, micro.get("precision").asDouble());
        assertEquals(2.0 / 3, micro.get("recall").asDouble(), 1e-15);
        assertTrue(json.get("segment_based").get("macro").has("error_rate"));
        assertTrue(json.get("event_based").get("class_wise").has("Cat"));
        assertTrue(json.get("psds1").get("value").isNumber());
        assertTrue(json.get("psds2").get("value").isNumber());
    }

    @Test
    void tableByDefault() {
        Result r = run("eval", "--ground-truth", gt.toString(), "--durations", durations.toString(),
                "--detections", detections.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Event-based (collar 200 ms, offset 20 %)"), r.out());
        assertTrue(r.out().contains("PSDS2"), r.out());
        assertTrue(r.out().contains("Dog"), r.out());
    }

    @Test
    void scoresWithSeveralThresholds() throws IOException {
        Path scores = Files.createDirectory(dir.resolve("scores"));
        StringBuilder a = new StringBuilder("onset\toffset\tDog\tCat\n");
        StringBuilder b = new StringBuilder("onset\toffset\tCat\tDog\n");
        for (int k = 0; k < 20; k++) {
            double on = k * 0.5;
            a.append(on).append('\t').append(on + 0.5).append('\t').append(on >= 1 && on < 3 ? 0.9 : 0.1).append('\t')
                    .append(on >= 4 && on < 5 ? 0.6 : 0.0).append('\n');
            b.append(on).append('\t').append(on + 0.5).append('\t').append(0.05).append('\t')
                    .append(on >= 2 && on < 4 ? 0.8 : 0.2).append('\n');
        }
        Files.writeString(scores.resolve("a.tsv"), a);
        Files.writeString(scores.resolve("b.tsv"), b);
        Result r = run("eval", "--ground-truth", gt.toString(), "--durations", durations.toString(),
                "--scores", scores.toString(), "--threshold", "0.5", "0.7", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = JSON.readTree(r.out());
        assertEquals(1.0, json.get("event_based").get("micro").get("f1").asDouble(), 1e-12, "perfect at 0.5");
        assertEquals(2, json.get("at_thresholds").size());
        assertEquals(1.0, json.get("psds2").get("single_class").get("Dog").asDouble(), 1e-12);
        assertEquals("scores", json.get("psds1").get("source").asText());
    }

    /** Scores of a.wav and b.wav on a 0.5-s grid, with one-frame spikes of Dog where nothing sounds. */
    private Path spikyScores(String name, int dogMedian) throws IOException {
        Path scores = Files.createDirectory(dir.resolve(name));
        for (String file : List.of("a", "b")) {
            double[] dog = new double[20];
            double[] cat = new double[20];
            for (int k = 0; k < 20; k++) {
                double on = k * 0.5;
                boolean dogSounds = file.equals("a") ? on >= 1 && on < 3 : on >= 2 && on < 4;
                dog[k] = dogSounds ? 0.9 : (k == 11 || k == 15 ? 0.95 : 0.1);
                cat[k] = file.equals("a") && on >= 4 && on < 5 ? 0.6 : 0.05;
            }
            if (dogMedian > 1) {
                dog = io.earshot.dsp.decode.MedianFilter.apply(dog, dogMedian);
            }
            StringBuilder t = new StringBuilder("onset\toffset\tDog\tCat\n");
            for (int k = 0; k < 20; k++) {
                t.append(k * 0.5).append('\t').append(k * 0.5 + 0.5).append('\t').append(dog[k]).append('\t')
                        .append(cat[k]).append('\n');
            }
            Files.writeString(scores.resolve(file + ".tsv"), t);
        }
        return scores;
    }

    @Test
    void medianFilterScoresAsIfTheTablesHadBeenFiltered() throws IOException {
        Path raw = spikyScores("raw", 1);
        Path filtered = spikyScores("filtered", 3);
        Result plain = run("eval", "--ground-truth", gt.toString(), "--durations", durations.toString(),
                "--scores", raw.toString(), "--json");
        Result smoothed = run("eval", "--ground-truth", gt.toString(), "--durations", durations.toString(),
                "--scores", raw.toString(), "--median-filter", "Dog=3", "--json");
        Result prefiltered = run("eval", "--ground-truth", gt.toString(), "--durations", durations.toString(),
                "--scores", filtered.toString(), "--json");
        Result all = run("eval", "--ground-truth", gt.toString(), "--durations", durations.toString(),
                "--scores", raw.toString(), "--median-filter", "3", "--json");
        for (Result r : List.of(plain, smoothed, prefiltered, all)) {
            assertEquals(0, r.exitCode(), r.err());
        }
        JsonNode p = JSON.readTree(plain.out());
        JsonNode s = JSON.readTree(smoothed.out());
        JsonNode f = JSON.readTree(prefiltered.out());
        for (String metric : List.of("psds1", "psds2")) {
            assertEquals(f.get(metric).get("value").asDouble(), s.get(metric).get("value").asDouble(), 1e-12, metric);
        }
        assertEquals(f.get("event_based").get("micro").get("f1").asDouble(),
                s.get("event_based").get("micro").get("f1").asDouble(), 1e-12);
        // The spikes were false alarms: filtering them away is a better system at threshold 0.5.
        assertTrue(s.get("event_based").get("micro").get("f1").asDouble()
                > p.get("event_based").get("micro").get("f1").asDouble() + 0.1, smoothed.out());
        assertTrue(s.get("description").asText().contains("median-filtered {Dog=3}"), s.get("description").asText());
        // Cat's scores are flat enough that a 3-frame filter changes nothing at any threshold.
        assertEquals(s.get("psds2").get("value").asDouble(),
                JSON.readTree(all.out()).get("psds2").get("value").asDouble(), 1e-12);
    }

    @Test
    void medianFilterMisuseNamesTheProblem() throws IOException {
        Path raw = spikyScores("raw", 1);
        String[] base = {"eval", "--ground-truth", gt.toString(), "--durations", durations.toString()};
        Result detectionsToo = run(concat(base, "--detections", detections.toString(), "--median-filter", "3"));
        assertEquals(Main.EXIT_USAGE, detectionsToo.exitCode());
        assertTrue(detectionsToo.err().contains("--median-filter applies to --scores only"), detectionsToo.err());
        Result even = run(concat(base, "--scores", raw.toString(), "--median-filter", "Dog=4"));
        assertEquals(Main.EXIT_USAGE, even.exitCode());
        assertTrue(even.err().contains("the length for Dog must be odd and >= 1, not 4"), even.err());
        Result unknown = run(concat(base, "--scores", raw.toString(), "--median-filter", "Bird=3"));
        assertTrue(unknown.err().contains("'Bird' is not one of the evaluated classes [Cat, Dog]"), unknown.err());
        Result garbage = run(concat(base, "--scores", raw.toString(), "--median-filter", "wide"));
        assertTrue(garbage.err().contains("'wide' is not N, LABEL=N,... or a model manifest (.json)"), garbage.err());
        Path manifest = Path.of(System.getProperty("user.dir")).getParent().resolve("models/earshot-sed-v1.json");
        Result otherLabels = run(concat(base, "--scores", raw.toString(), "--median-filter", manifest.toString()));
        assertEquals(Main.EXIT_USAGE, otherLabels.exitCode());
        assertTrue(otherLabels.err().contains("has no decoding for class Cat"), otherLabels.err());
    }

    private static String[] concat(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    @Test
    void badInputIsOneLineNamingFileAndLine() throws IOException {
        Path bad = Files.write(dir.resolve("bad.tsv"), List.of("a.wav\t1.1\t2.9\tDog", "z.wav\t1\t2\tDog"));
        Result r = run("eval", "--ground-truth", gt.toString(), "--durations", durations.toString(),
                "--detections", bad.toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().startsWith("earshot eval: " + bad + ":2: file 'z.wav' is not listed in " + durations),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Path negative = Files.write(dir.resolve("neg.tsv"), List.of("a.wav\t-10"));
        r = run("eval", "--ground-truth", gt.toString(), "--durations", negative.toString(),
                "--detections", detections.toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains(negative + ":1: negative duration -10.0 for a.wav"), r.err());
    }

    @Test
    void flagMisuseIsAUsageError() {
        Result both = run("eval", "--ground-truth", gt.toString(), "--durations", durations.toString(),
                "--detections", detections.toString(), "--scores", dir.toString());
        assertEquals(Main.EXIT_USAGE, both.exitCode());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        Result neither = run("eval", "--ground-truth", gt.toString(), "--durations", durations.toString());
        assertEquals(Main.EXIT_USAGE, neither.exitCode());
        Result threshold = run("eval", "--ground-truth", gt.toString(), "--durations", durations.toString(),
                "--detections", detections.toString(), "--threshold", "0.3");
        assertEquals(Main.EXIT_USAGE, threshold.exitCode());
        assertTrue(threshold.err().contains("--threshold applies to --scores only"), threshold.err());
    }

    /** On the golden score case, the command reproduces psds_eval over all operating points and sed_scores_eval. */
    @Test
    void goldenScoreCaseThroughTheCommand() throws IOException {
        Path golden = Path.of(System.getProperty("earshot.repo.root", ".")).resolve("../shared/golden/case12")
                .normalize();
        Assumptions.assumeTrue(Files.isDirectory(golden), "golden case not found at " + golden);
        JsonNode expected = JSON.readTree(golden.resolve("expected.json").toFile()).get("results");
        Result ops = run("eval", "--ground-truth", golden.resolve("ground_truth.tsv").toString(),
                "--durations", golden.resolve("durations.tsv").toString(),
                "--detections", golden.resolve("detections.tsv").toString(),
                "--operating-points", golden.resolve("operating_points").toString(), "--json");
        assertEquals(0, ops.exitCode(), ops.err());
        Result scores = run("eval", "--ground-truth", golden.resolve("ground_truth.tsv").toString(),
                "--durations", golden.resolve("durations.tsv").toString(),
                "--scores", golden.resolve("scores").toString(), "--json");
        assertEquals(0, scores.exitCode(), scores.err());
        for (String scenario : List.of("1", "2")) {
            double psdsEval = expected.get("psds_eval_scenario" + scenario + "_ops_all").get("values").get("psds")
                    .asDouble();
            double sedScoresEval = expected.get("sed_scores_eval_psds_scenario" + scenario).get("values").get("psds")
                    .asDouble();
            assertEquals(psdsEval, JSON.readTree(ops.out()).get("psds" + scenario).get("value").asDouble(), 1e-12);
            assertEquals(sedScoresEval, JSON.readTree(scores.out()).get("psds" + scenario).get("value").asDouble(),
                    1e-12);
        }
        assertEquals(expected.get("sed_eval_event_based").get("values").get("micro").get("f_measure").asDouble(),
                JSON.readTree(scores.out()).get("event_based").get("micro").get("f1").asDouble(), 1e-12);
    }
}
