package io.earshot.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.evaluation.io.DcaseInputException;
import io.earshot.evaluation.io.Durations;
import io.earshot.evaluation.io.EventListReader;
import io.earshot.evaluation.io.EventTable;
import io.earshot.evaluation.io.Reference;
import io.earshot.evaluation.io.ScoreTable;
import io.earshot.evaluation.io.ScoreTableReader;
import io.earshot.evaluation.psds.DetectionPsds;
import io.earshot.evaluation.psds.IntersectionCriteria;
import io.earshot.evaluation.psds.IntersectionF1;
import io.earshot.evaluation.psds.OperatingPointRates;
import io.earshot.evaluation.psds.PsdsResult;
import io.earshot.evaluation.psds.PsdsScenario;
import io.earshot.evaluation.psds.ScorePsds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case under {@code <repo>/../shared/golden}: each result the reference tools (sed_eval,
 * psds_eval, sed_scores_eval) produced is recomputed here and compared, counts exactly and rates
 * within 1e-9. A result key this test does not know fails, so nothing is skipped silently.
 */
class GoldenCasesTest {
    private static final double TOLERANCE = 1e-9;
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path goldenDir() {
        String root = System.getProperty("earshot.repo.root", ".");
        return Path.of(root).resolve("../shared/golden").normalize();
    }

    @TestFactory
    Stream<DynamicNode> everyGoldenCase() throws IOException {
        Path golden = goldenDir();
        // CI always has shared/ beside the clone: there a missing folder is a broken setup, not a skip.
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(Files.isDirectory(golden), "CI=true but the golden vectors are missing at " + golden);
        }
        Assumptions.assumeTrue(Files.isDirectory(golden),
                "golden vectors not found at " + golden + " (expected <repo root>/../shared/golden); skipping");
        List<Path> cases;
        try (Stream<Path> list = Files.list(golden)) {
            cases = list.filter(p -> Files.isRegularFile(p.resolve("expected.json"))).sorted().toList();
        }
        assertTrue(cases.size() >= 13, "expected the 13 golden cases, found " + cases.size());
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path dir : cases) {
            nodes.add(caseNode(dir));
        }
        return nodes.stream();
    }

    private DynamicContainer caseNode(Path dir) throws IOException {
        GoldenCase gc = new GoldenCase(dir);
        List<DynamicNode> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> result : gc.expected.get("results").properties()) {
            String key = result.getKey();
            JsonNode block = result.getValue();
            tests.add(DynamicTest.dynamicTest(key, () -> check(gc, key, block)));
        }
        return DynamicContainer.dynamicContainer(dir.getFileName().toString(), tests);
    }

    private void check(GoldenCase gc, String key, JsonNode block) throws IOException {
        if (block.path("informational").asBoolean(false)) {
            // an older psds_eval's value for input that psds_eval 0.5.3 refuses: we refuse it too
            String refused = key.substring(0, key.indexOf("__"));
            JsonNode current = gc.expected.get("results").get(refused);
            assertTrue(current.has("error"), refused + " should be the refused computation");
            check(gc, refused, current);
            return;
        }
        JsonNode values = block.get("values");
        JsonNode params = block.get("params");
        if (key.equals("sed_eval_event_based") || key.equals("sed_eval_event_based_zero_score")) {
            EmptyOutputPolicy policy = key.endsWith("zero_score") ? EmptyOutputPolicy.ZERO_SCORE
                    : EmptyOutputPolicy.UNDEFINED;
            EventBasedMetrics.Config config = new EventBasedMetrics.Config(params.get("t_collar").asDouble(),
                    params.get("percentage_of_length").asDouble(), policy);
            SedMetrics m = new EventBasedMetrics(config).evaluate(gc.reference, gc.detections);
            compareSedEval(values, m, false);
        } else if (key.equals("sed_eval_segment_based")) {
            SedMetrics m = new SegmentBasedMetrics(params.get("time_resolution").asDouble(),
                    EmptyOutputPolicy.UNDEFINED).evaluate(gc.reference, gc.detections);
            compareSedEval(values, m, true);
        } else if (key.startsWith("psds_eval_scenario")) {
            checkPsdsEval(gc, key, block);
        } else if (key.startsWith("psds_eval_macro_f1")) {
            IntersectionCriteria criteria = params != null
                    ? new IntersectionCriteria(params.get("dtc_threshold").asDouble(),
                            params.get("gtc_threshold").asDouble(), params.get("cttc_threshold").asDouble())
                    : criteriaFromKey(key); // refused inputs carry no params block
            if (block.has("error")) {
                assertThrows(DcaseInputException.class, () -> DetectionPsds.f1(gc.reference, criteria, gc.detections));
                return;
            }
            IntersectionF1 f1 = DetectionPsds.f1(gc.reference, criteria, gc.detections);
            near(values.get("macro_f1"), f1.psdsEvalMacroF1(), "macro_f1");
            Map<String, Double> classF1 = f1.psdsEvalClassF1();
            values.get("class_wise_f1").properties().forEach(
                    e -> near(e.getValue(), classF1.get(e.getKey()), "class_wise_f1." + e.getKey()));
            assertEquals(values.get("class_wise_f1").size(), classF1.size());
        } else if (key.startsWith("sed_scores_eval_psds_scenario")) {
            PsdsResult r = ScorePsds.compute(gc.reference, scenario(params, params.get("cttc_threshold")),
                    gc.scores());
            near(values.get("psds"), r.value(), "psds");
            values.get("single_class_psds").properties().forEach(
                    e -> near(e.getValue(), r.singleClass().get(e.getKey()), "single_class_psds." + e.getKey()));
            double[][] roc = r.roc().upTo(r.scenario().maxEfpr());
            nearArray(values.get("psd_roc").get("efpr"), roc[0], "psd_roc.efpr");
            nearArray(values.get("psd_roc").get("etpr"), roc[1], "psd_roc.etpr");
        } else if (key.startsWith("sed_scores_eval_intersection_f1")) {
            IntersectionCriteria criteria = new IntersectionCriteria(params.get("dtc_threshold").asDouble(),
                    params.get("gtc_threshold").asDouble(), null);
            EventTable detections = ScoreTable.detectionsAbove(gc.scores(), params.get("threshold").asDouble());
            IntersectionF1 f1 = DetectionPsds.f1(gc.reference, criteria, detections);
            compareIntersectionF1(values, f1);
        } else if (key.equals("sed_scores_eval_collar_based")) {
            EventTable detections = ScoreTable.detectionsAbove(gc.scores(), params.get("threshold").asDouble());
            EventBasedMetrics.Config config = new EventBasedMetrics.Config(params.get("onset_collar").asDouble(),
                    params.get("offset_collar_rate").asDouble(), EmptyOutputPolicy.UNDEFINED);
            assertEquals(params.get("onset_collar").asDouble(), params.get("offset_collar").asDouble());
            compareSedScores(values, new EventBasedMetrics(config).evaluate(gc.reference, detections), false);
        } else if (key.equals("sed_scores_eval_segment_based")) {
            EventTable detections = ScoreTable.detectionsAbove(gc.scores(), params.get("threshold").asDouble());
            SedMetrics m = new SegmentBasedMetrics(params.get("segment_length").asDouble(),
                    EmptyOutputPolicy.UNDEFINED).evaluate(gc.reference, detections);
            compareSedScores(values, m, true);
        } else {
            fail("golden result key not handled by this test: " + key);
        }
    }

    private void checkPsdsEval(GoldenCase gc, String key, JsonNode block) throws IOException {
        JsonNode params = block.get("params");
        JsonNode values = block.get("values");
        List<EventTable> ops = new ArrayList<>();
        if (key.endsWith("_single_op")) {
            ops.add(gc.detections);
        } else {
            for (JsonNode name : values.get("operating_points_given")) {
                ops.add(EventListReader.read(gc.dir.resolve(name.asText())));
            }
            assertEquals(params.get("thresholds").size(), ops.size());
        }
        JsonNode cttc = block.has("values") ? values.get("cttc_threshold_passed_to_PSDSEval")
                : params.get("cttc_threshold");
        PsdsScenario scenario = scenario(params, cttc == null || cttc.isNull() ? null : cttc);
        if (block.has("error")) {
            DcaseInputException e = assertThrows(DcaseInputException.class,
                    () -> DetectionPsds.compute(gc.reference, scenario, ops));
            assertTrue(e.getMessage().contains("overlapping"), e.getMessage());
            return;
        }
        PsdsResult r = DetectionPsds.compute(gc.reference, scenario, ops);
        near(values.get("psds"), r.value(), "psds");
        nearArray(values.get("psd_roc").get("efpr"), r.roc().efpr(), "psd_roc.efpr");
        nearArray(values.get("psd_roc").get("etpr"), r.roc().etpr(), "psd_roc.etpr");
        JsonNode kept = values.get("operating_points_kept");
        assertEquals(kept.size(), r.operatingPoints().size(), "operating points kept");
        for (int i = 0; i < kept.size(); i++) {
            JsonNode expectedOp = values.get("operating_point_rates").get(i);
            OperatingPointRates op = r.operatingPoints().get(i);
            assertTrue(op.name().endsWith(kept.get(i).asText()), op.name() + " vs " + kept.get(i).asText());
            String where = "op " + kept.get(i).asText();
            nearMap(expectedOp.get("tpr"), op.tpr(), where + " tpr");
            nearMap(expectedOp.get("fpr_per_hour"), op.fprPerHour(), where + " fpr");
            expectedOp.get("ctr_per_hour").properties().forEach(
                    e -> nearMap(e.getValue(), op.ctrPerHour().get(e.getKey()), where + " ctr " + e.getKey()));
        }
    }

    /** "psds_eval_macro_f1_dtc0.7_gtc0.7" -> DTC 0.7, GTC 0.7. */
    private static IntersectionCriteria criteriaFromKey(String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("dtc([0-9.]+)_gtc([0-9.]+)").matcher(key);
        assertTrue(m.find(), key);
        return new IntersectionCriteria(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), 0.3);
    }

    private static PsdsScenario scenario(JsonNode params, JsonNode cttc) {
        return new PsdsScenario("golden", params.get("dtc_threshold").asDouble(),
                params.get("gtc_threshold").asDouble(), cttc == null || cttc.isNull() ? null : cttc.asDouble(),
                params.get("alpha_ct").asDouble(), params.get("alpha_st").asDouble(),
                params.get("max_efpr").asDouble());
    }

    private void compareSedEval(JsonNode values, SedMetrics m, boolean segmentBased) {
        compareValues(values.get("micro"), m.micro(), "micro", true);
        compareValues(values.get("macro"), m.macro(), "macro", false);
        assertEquals(values.get("class_wise").size(), m.classWise().size());
        values.get("class_wise").properties().forEach(
                e -> compareValues(e.getValue(), m.classWise().get(e.getKey()).values(), e.getKey(), false));
        JsonNode overall = values.get("counts").get("overall");
        Counts c = m.overall();
        exact(overall, "Nref", c.nRef());
        exact(overall, "Nsys", c.nSys());
        exact(overall, "Ntp", c.truePositives());
        exact(overall, "Nfp", c.falsePositives());
        exact(overall, "Nfn", c.falseNegatives());
        if (segmentBased) {
            exact(overall, "Ntn", c.trueNegatives());
            exact(overall, "S", c.substitutions());
            exact(overall, "D", c.deletions());
            exact(overall, "I", c.insertions());
        } else {
            exact(overall, "Nsubs", c.substitutions());
        }
        values.get("counts").get("class_wise").properties().forEach(e -> {
            Counts cc = m.classWise().get(e.getKey()).counts();
            JsonNode x = e.getValue();
            exact(x, "Nref", cc.nRef());
            exact(x, "Nsys", cc.nSys());
            exact(x, "Ntp", cc.truePositives());
            exact(x, "Ntn", cc.trueNegatives());
            exact(x, "Nfp", cc.falsePositives());
            exact(x, "Nfn", cc.falseNegatives());
        });
    }

    private static void compareValues(JsonNode expected, MetricValues actual, String where, boolean withSubstitution) {
        near(expected.get("f_measure"), actual.f1(), where + ".f_measure");
        near(expected.get("precision"), actual.precision(), where + ".precision");
        near(expected.get("recall"), actual.recall(), where + ".recall");
        near(expected.get("error_rate"), actual.errorRate(), where + ".error_rate");
        near(expected.get("deletion_rate"), actual.deletionRate(), where + ".deletion_rate");
        near(expected.get("insertion_rate"), actual.insertionRate(), where + ".insertion_rate");
        if (withSubstitution) {
            near(expected.get("substitution_rate"), actual.substitutionRate(), where + ".substitution_rate");
        }
    }

    /** sed_scores_eval's collar- and segment-based output: {metric: {class..., macro_average, micro_average}}. */
    private void compareSedScores(JsonNode values, SedMetrics m, boolean segmentBased) {
        for (String label : m.classWise().keySet()) {
            MetricValues v = m.classWise().get(label).values();
            near(values.get("f1").get(label), v.f1(), "f1." + label);
            near(values.get("precision").get(label), v.precision(), "precision." + label);
            near(values.get("recall").get(label), v.recall(), "recall." + label);
            near(values.get("error_rate").get(label), v.errorRate(), "error_rate." + label);
            near(values.get("insertion_rate").get(label), v.insertionRate(), "insertion_rate." + label);
            near(values.get("deletion_rate").get(label), v.deletionRate(), "deletion_rate." + label);
            Counts c = m.classWise().get(label).counts();
            JsonNode stats = values.get("intermediate_statistics").get(label);
            assertEquals(stats.get("tps").asLong(), c.truePositives(), "tps." + label);
            assertEquals(stats.get("fps").asLong(), c.falsePositives(), "fps." + label);
            assertEquals(stats.get("n_ref").asLong(), c.nRef(), "n_ref." + label);
            if (segmentBased) {
                assertEquals(stats.get("n_sys").asLong(), c.nSys(), "n_sys." + label);
                assertEquals(stats.get("tns").asLong(), c.trueNegatives(), "tns." + label);
            }
        }
        near(values.get("f1").get("macro_average"), m.macro().f1(), "f1.macro");
        near(values.get("precision").get("macro_average"), m.macro().precision(), "precision.macro");
        near(values.get("recall").get("macro_average"), m.macro().recall(), "recall.macro");
        near(values.get("error_rate").get("macro_average"), m.macro().errorRate(), "error_rate.macro");
        near(values.get("insertion_rate").get("macro_average"), m.macro().insertionRate(), "insertion.macro");
        near(values.get("deletion_rate").get("macro_average"), m.macro().deletionRate(), "deletion.macro");
        near(values.get("f1").get("micro_average"), m.micro().f1(), "f1.micro");
        near(values.get("precision").get("micro_average"), m.micro().precision(), "precision.micro");
        near(values.get("recall").get("micro_average"), m.micro().recall(), "recall.micro");
    }

    private void compareIntersectionF1(JsonNode values, IntersectionF1 f1) {
        f1.classWise().forEach((label, c) -> {
            near(values.get("f1").get(label), c.f1(), "f1." + label);
            near(values.get("precision").get(label), c.precision(), "precision." + label);
            near(values.get("recall").get(label), c.recall(), "recall." + label);
            JsonNode stats = values.get("intermediate_statistics").get(label);
            assertEquals(stats.get("tps").asLong(), c.truePositives(), "tps." + label);
            assertEquals(stats.get("fps").asLong(), c.falsePositives(), "fps." + label);
            assertEquals(stats.get("n_ref").asLong(), c.nRef(), "n_ref." + label);
        });
        near(values.get("f1").get("macro_average"), f1.macroF1(), "f1.macro");
        near(values.get("precision").get("macro_average"), f1.macroPrecision(), "precision.macro");
        near(values.get("recall").get("macro_average"), f1.macroRecall(), "recall.macro");
        near(values.get("f1").get("micro_average"), f1.microF1(), "f1.micro");
        near(values.get("precision").get("micro_average"), f1.microPrecision(), "precision.micro");
        near(values.get("recall").get("micro_average"), f1.microRecall(), "recall.micro");
    }

    static void near(JsonNode expected, Double actual, String what) {
        if (expected == null || expected.isNull()) {
            fail(what + ": no expected value");
        }
        if (actual == null) {
            fail(what + ": not computed");
        }
        if (expected.isTextual()) {
            assertEquals("NaN", expected.asText(), what);
            assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
            return;
        }
        double e = expected.asDouble();
        assertTrue(Math.abs(e - actual) <= TOLERANCE * Math.max(1, Math.abs(e)),
                what + ": expected " + e + ", got " + actual);
    }

    private static void nearArray(JsonNode expected, double[] actual, String what) {
        assertEquals(expected.size(), actual.length, what + " length");
        for (int i = 0; i < actual.length; i++) {
            near(expected.get(i), actual[i], what + "[" + i + "]");
        }
    }

    private static void nearMap(JsonNode expected, Map<String, Double> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + " size");
        expected.properties().forEach(e -> near(e.getValue(), actual.get(e.getKey()), what + "." + e.getKey()));
    }

    private static void exact(JsonNode counts, String name, long actual) {
        JsonNode e = counts.get(name);
        if (e == null) {
            fail("no expected count " + name);
        }
        assertEquals(e.asDouble(), (double) actual, 0.0, name);
    }

    /** Inputs of one golden case. */
    static final class GoldenCase {
        final Path dir;
        final JsonNode expected;
        final Reference reference;
        final EventTable detections;
        private Map<String, ScoreTable> scores;

        GoldenCase(Path dir) throws IOException {
            this.dir = dir;
            this.expected = JSON.readTree(dir.resolve("expected.json").toFile());
            JsonNode caseJson = JSON.readTree(dir.resolve("case.json").toFile());
            List<String> classes = new ArrayList<>();
            caseJson.get("classes").forEach(c -> classes.add(c.asText()));
            this.reference = new Reference(EventListReader.read(dir.resolve("ground_truth.tsv")),
                    Durations.read(dir.resolve("durations.tsv")));
            assertEquals(classes, reference.classes(), "classes derived from the ground truth");
            this.detections = EventListReader.read(dir.resolve("detections.tsv"));
        }

        Map<String, ScoreTable> scores() {
            if (scores == null) {
                scores = ScoreTableReader.readDirectory(dir.resolve("scores"), reference.durations(),
                        reference.classes());
            }
            return scores;
        }
    }
}
