package io.earshot.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.evaluation.io.Durations;
import io.earshot.evaluation.io.EventListReader;
import io.earshot.evaluation.io.EventTable;
import io.earshot.evaluation.io.Reference;
import io.earshot.evaluation.io.ScoreTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A small case worked out by hand, through the Evaluator and the JSON report. */
class EvaluatorTest {
    private static final double EPS = Math.ulp(1.0);

    /*
     * a.wav: Dog [1, 3] found as Dog [1.1, 2.9]; Cat [4, 5] missed, Cat [6, 7] inserted.
     * b.wav: Dog [2, 4] reported as Cat [2.05, 4.1]: within the collars, so a substitution.
     * c.wav: nothing, 10 s of it.
     */
    private static final Reference REFERENCE = new Reference(
            EventListReader.parse("gt.tsv", List.of("filename\tonset\toffset\tevent_label", "a.wav\t1\t3\tDog",
                    "a.wav\t4\t5\tCat", "b.wav\t2\t4\tDog")),
            Durations.parse("dur.tsv", List.of("a.wav\t10", "b.wav\t10", "c.wav\t10")));
    private static final EventTable DETECTIONS = EventListReader.parse("det.tsv", List.of("a.wav\t1.1\t2.9\tDog",
            "a.wav\t6\t7\tCat", "b.wav\t2.05\t4.1\tCat"));

    @Test
    void eventBasedCountsAndRates() {
        SedMetrics m = new EventBasedMetrics(EventBasedMetrics.Config.DCASE).evaluate(REFERENCE, DETECTIONS);
        assertEquals(new Counts(3, 3, 1, 1, 1, 0, 1, 1, 1), m.overall());
        assertEquals(1.0 / 3, m.micro().f1(), 1e-15);
        assertEquals(3 / (3 + EPS), m.micro().errorRate(), 1e-15);
        assertEquals(1 / (3 + EPS), m.micro().substitutionRate(), 1e-15);
        MetricValues dog = m.classWise().get("Dog").values();
        assertEquals(2.0 / 3, dog.f1(), 1e-15);
        assertEquals(1.0, dog.precision());
        assertEquals(0.5, dog.errorRate(), 1e-15);
        MetricValues cat = m.classWise().get("Cat").values();
        assertEquals(0.0, cat.f1());
        assertEquals(3.0, cat.errorRate(), 1e-14);
        assertEquals(1.0 / 3, m.macro().f1(), 1e-15);
        assertEquals(1.75, m.macro().errorRate(), 1e-14);
    }

    @Test
    void rowOrderDoesNotMatter() {
        EventTable shuffled = EventListReader.parse("det.tsv", List.of("b.wav\t2.05\t4.1\tCat",
                "a.wav\t6\t7\tCat", "a.wav\t1.1\t2.9\tDog"));
        EventBasedMetrics metrics = new EventBasedMetrics(EventBasedMetrics.Config.DCASE);
        assertEquals(metrics.evaluate(REFERENCE, DETECTIONS), metrics.evaluate(REFERENCE, shuffled));
        // two references competing for the substitutes: (onset, offset, label) order decides
        Reference twoDogs = new Reference(EventListReader.parse("gt.tsv", List.of("a.wav\t1\t2\tDog",
                "a.wav\t1.1\t2\tDog")), Durations.parse("dur.tsv", List.of("a.wav\t10")), List.of("Cat", "Dog"));
        EventTable cats = EventListReader.parse("det.tsv", List.of("a.wav\t1.15\t2\tCat", "a.wav\t1.05\t2\tCat"));
        Counts counts = metrics.evaluate(twoDogs, cats).overall();
        assertEquals(2, counts.substitutions());
        assertEquals(counts, metrics.evaluate(twoDogs, EventListReader.parse("det.tsv",
                List.of("a.wav\t1.05\t2\tCat", "a.wav\t1.15\t2\tCat"))).overall());
    }

    @Test
    void theMatchingKeepsTheReferenceSedEvalKeeps() {
        // Dog [1.05, 2] hits both Dog references; sed_eval's matcher starts greedily and keeps the
        // first, so [1.1, 2] is left over and Cat [1.25, 2] (within its collar, not the first's)
        // substitutes it. Matching the other reference would give S = 0, FP = FN = 1 instead.
        Reference twoDogs = new Reference(EventListReader.parse("gt.tsv", List.of("a.wav\t1\t2\tDog",
                "a.wav\t1.1\t2\tDog")), Durations.parse("dur.tsv", List.of("a.wav\t10")), List.of("Cat", "Dog"));
        EventTable system = EventListReader.parse("det.tsv", List.of("a.wav\t1.05\t2\tDog", "a.wav\t1.25\t2\tCat"));
        SedMetrics m = new EventBasedMetrics(EventBasedMetrics.Config.DCASE).evaluate(twoDogs, system);
        assertEquals(new Counts(2, 2, 1, 0, 0, 0, 1, 0, 0), m.overall());
        assertEquals(1 / (2 + EPS), m.micro().errorRate(), 1e-15);
    }

    @Test
    void segmentBasedCountsEveryFileOverItsDuration() {
        SedMetrics m = SegmentBasedMetrics.oneSecond().evaluate(REFERENCE, DETECTIONS);
        // 30 segments x 2 classes; TP: a.wav Dog 1,2; S: b.wav 2,3; D: a.wav Cat 4; I: a.wav Cat 6, b.wav Cat 4
        assertEquals(new Counts(5, 6, 2, 4, 3, 51, 2, 1, 2), m.overall());
        assertEquals(2.0 / 6, m.micro().precision(), 1e-15);
        assertEquals(2.0 / 5, m.micro().recall(), 1e-15);
        assertEquals(new Counts(4, 2, 2, 0, 2, 26, 0, 2, 0), m.classWise().get("Dog").counts());
        assertEquals(new Counts(1, 4, 0, 4, 1, 25, 0, 1, 4), m.classWise().get("Cat").counts());
    }

    @Test
    void reportJsonHasTheDocumentedShape() throws Exception {
        EvaluationReport report = new Evaluator(EvaluationSettings.DCASE).evaluateDetections(REFERENCE, DETECTIONS,
                List.of());
        JsonNode json = new ObjectMapper().readTree(report.toJsonString());
        for (String method : List.of("event_based", "segment_based")) {
            for (String average : List.of("micro", "macro")) {
                for (String value : List.of("f1", "precision", "recall", "error_rate")) {
                    assertTrue(json.get(method).get(average).has(value), method + "." + average + "." + value);
                }
            }
            assertTrue(json.get(method).get("class_wise").has("Dog"), method);
        }
        assertEquals(1.0 / 3, json.get("event_based").get("micro").get("f1").asDouble(), 1e-15);
        assertEquals(1, json.get("event_based").get("counts").get("substitutions").asInt());
        assertEquals(List.of("Cat", "Dog"), List.of(json.get("classes").get(0).asText(), json.get("classes").get(1).asText()));
        assertEquals(30.0, json.get("duration_seconds").asDouble());
        for (String psds : List.of("psds1", "psds2")) {
            JsonNode node = json.get(psds);
            assertTrue(node.get("value").isNumber(), psds);
            assertEquals("operating_points", node.get("source").asText());
            assertEquals(1, node.get("operating_points").asInt());
            assertEquals(0.0, node.get("roc").get("efpr").get(0).asDouble());
        }
        assertEquals(0.7, json.get("psds1").get("dtc").asDouble());
        assertTrue(json.get("psds1").get("cttc").isNull());
        assertEquals(0.3, json.get("psds2").get("cttc").asDouble());
        // Dog [1, 3] vs [1.1, 2.9]: 90 % of the truth covered, all of the detection inside: a TP under both
        JsonNode intersection = json.get("intersection_f1").get("dtc0.7_gtc0.7").get("class_wise").get("Dog");
        assertEquals(1, intersection.get("tp").asInt());
        assertEquals(0, intersection.get("fp").asInt());
        assertNull(json.get("at_thresholds"), "one threshold only");
        assertTrue(ReportTable.render(report).contains("Event-based (collar 200 ms, offset 20 %)"));
    }

    @Test
    void undefinedValuesAreNullInJson() throws Exception {
        EventTable nothing = EventListReader.parse("empty.tsv", List.of("filename\tonset\toffset\tevent_label"));
        EvaluationReport report = new Evaluator(EvaluationSettings.DCASE).evaluateDetections(REFERENCE, nothing,
                List.of());
        JsonNode micro = new ObjectMapper().readTree(report.toJsonString()).get("event_based").get("micro");
        assertTrue(micro.get("precision").isNull());
        assertTrue(micro.get("f1").isNull());
        assertEquals(0.0, micro.get("recall").asDouble());
        assertTrue(ReportTable.render(report).contains("n/a"));
        assertEquals(0.0, report.psdsValue("psds1"));
    }

    @Test
    void overlappingDetectionsFailOnlyTheIntersectionBasedMetrics() throws Exception {
        EventTable overlapping = EventListReader.parse("det.tsv", List.of("a.wav\t1.1\t2.9\tDog",
                "a.wav\t2.5\t3.5\tDog"));
        EvaluationReport report = new Evaluator(EvaluationSettings.DCASE).evaluateDetections(REFERENCE, overlapping,
                List.of());
        JsonNode json = new ObjectMapper().readTree(report.toJsonString());
        assertEquals(1, json.get("event_based").get("counts").get("tp").asInt());
        assertTrue(json.get("psds1").get("value").isNull());
        assertTrue(json.get("psds1").get("error").asText().contains("det.tsv:1 and det.tsv:2: overlapping 'Dog'"),
                json.get("psds1").toString());
        assertTrue(json.get("intersection_f1").get("dtc0.1_gtc0.1").has("error"));
        assertTrue(Double.isNaN(report.psdsValue("psds2")));
        assertTrue(ReportTable.render(report).contains("PSDS1  not computed: det.tsv:1 and det.tsv:2"));
    }

    @Test
    void scoreReportsListEveryThreshold() throws Exception {
        Map<String, ScoreTable> scores = new LinkedHashMap<>();
        double[] on = new double[10];
        double[] off = new double[10];
        for (int k = 0; k < 10; k++) {
            on[k] = k;
            off[k] = k + 1;
        }
        double[] dog = {0, 0.9, 0.8, 0, 0, 0, 0, 0, 0, 0};
        double[] cat = {0, 0, 0, 0, 0.2, 0, 0.6, 0, 0, 0};
        scores.put("a.wav", new ScoreTable("a.wav", on, off, List.of("Dog", "Cat"), new double[][] {dog, cat}));
        scores.put("b.wav", new ScoreTable("b.wav", on, off, List.of("Dog", "Cat"),
                new double[][] {{0, 0, 0.7, 0.7, 0, 0, 0, 0, 0, 0}, new double[10]}));
        scores.put("c.wav", new ScoreTable("c.wav", on, off, List.of("Dog", "Cat"), new double[][] {new double[10],
                new double[10]}));
        EvaluationReport report = new Evaluator(EvaluationSettings.DCASE).evaluateScores(REFERENCE, scores,
                List.of(0.5, 0.1), "scores/");
        JsonNode json = new ObjectMapper().readTree(report.toJsonString());
        assertEquals(0.5, json.get("threshold").asDouble());
        assertEquals(2, json.get("at_thresholds").size());
        assertEquals(0.1, json.get("at_thresholds").get(1).get("threshold").asDouble());
        // at 0.5: Dog [1, 3] (TP), Cat [6, 7] (FP), b.wav Dog [2, 4] (TP)
        assertEquals(2, json.get("event_based").get("counts").get("tp").asInt());
        assertEquals("scores", json.get("psds2").get("source").asText());
        assertTrue(json.get("psds2").get("thresholds").asInt() > 0);
    }
}
