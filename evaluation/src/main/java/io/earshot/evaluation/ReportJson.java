package io.earshot.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.evaluation.psds.IntersectionF1;
import io.earshot.evaluation.psds.PsdsResult;
import io.earshot.evaluation.psds.PsdsScenario;
import java.util.Map;

/**
 * The JSON form of an {@link EvaluationReport} (documented in docs/evaluation.md). Undefined
 * values (NaN) are written as null so that the output is strict JSON.
 */
final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    static String toJsonString(EvaluationReport report) {
        try {
            return MAPPER.writeValueAsString(toJson(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    static ObjectNode toJson(EvaluationReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("input", report.input());
        root.put("description", report.description());
        ArrayNode classes = root.putArray("classes");
        report.classes().forEach(classes::add);
        root.put("files", report.files());
        number(root, "duration_seconds", report.durationSeconds());
        EvaluationReport.ThresholdResult headline = report.headline();
        if (headline.threshold() != null) {
            number(root, "threshold", headline.threshold());
        }
        thresholdResult(root, headline, report.settings());
        for (EvaluationReport.PsdsOutcome outcome : report.psds()) {
            root.set(outcome.scenario().name(), psds(outcome));
        }
        if (report.results().size() > 1) {
            ArrayNode all = root.putArray("at_thresholds");
            for (EvaluationReport.ThresholdResult result : report.results()) {
                ObjectNode node = all.addObject();
                number(node, "threshold", result.threshold());
                thresholdResult(node, result, report.settings());
            }
        }
        return root;
    }

    private static void thresholdResult(ObjectNode node, EvaluationReport.ThresholdResult result,
                                        EvaluationSettings settings) {
        ObjectNode eventBased = sed(result.eventBased());
        ObjectNode eventParams = MAPPER.createObjectNode();
        number(eventParams, "t_collar", settings.eventBased().collarSeconds());
        number(eventParams, "percentage_of_length", settings.eventBased().percentageOfLength());
        eventBased.set("parameters", eventParams);
        node.set("event_based", eventBased);
        ObjectNode segmentBased = sed(result.segmentBased());
        segmentBased.putObject("parameters").put("segment_seconds", settings.segmentSeconds());
        node.set("segment_based", segmentBased);
        ObjectNode intersection = node.putObject("intersection_f1");
        for (EvaluationReport.IntersectionOutcome outcome : result.intersection()) {
            intersection.set(outcome.key(), intersectionF1(outcome));
        }
    }

    private static ObjectNode sed(SedMetrics m) {
        ObjectNode node = MAPPER.createObjectNode();
        node.set("micro", values(m.micro()));
        node.set("macro", values(m.macro()));
        ObjectNode classWise = node.putObject("class_wise");
        for (Map.Entry<String, ClassResult> e : m.classWise().entrySet()) {
            ObjectNode cls = values(e.getValue().values());
            cls.set("counts", counts(e.getValue().counts()));
            classWise.set(e.getKey(), cls);
        }
        node.set("counts", counts(m.overall()));
        return node;
    }

    private static ObjectNode values(MetricValues v) {
        ObjectNode node = MAPPER.createObjectNode();
        number(node, "f1", v.f1());
        number(node, "precision", v.precision());
        number(node, "recall", v.recall());
        number(node, "error_rate", v.errorRate());
        if (!Double.isNaN(v.substitutionRate())) {
            number(node, "substitution_rate", v.substitutionRate());
        }
        number(node, "deletion_rate", v.deletionRate());
        number(node, "insertion_rate", v.insertionRate());
        return node;
    }

    private static ObjectNode counts(Counts c) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("n_ref", c.nRef());
        node.put("n_sys", c.nSys());
        node.put("tp", c.truePositives());
        node.put("fp", c.falsePositives());
        node.put("fn", c.falseNegatives());
        node.put("tn", c.trueNegatives());
        node.put("substitutions", c.substitutions());
        node.put("deletions", c.deletions());
        node.put("insertions", c.insertions());
        return node;
    }

    private static ObjectNode intersectionF1(EvaluationReport.IntersectionOutcome outcome) {
        ObjectNode node = MAPPER.createObjectNode();
        number(node, "dtc", outcome.criteria().dtc());
        number(node, "gtc", outcome.criteria().gtc());
        if (outcome.error() != null) {
            node.put("error", outcome.error());
            return node;
        }
        IntersectionF1 f1 = outcome.f1();
        ObjectNode micro = node.putObject("micro");
        number(micro, "f1", f1.microF1());
        number(micro, "precision", f1.microPrecision());
        number(micro, "recall", f1.microRecall());
        ObjectNode macro = node.putObject("macro");
        number(macro, "f1", f1.macroF1());
        number(macro, "precision", f1.macroPrecision());
        number(macro, "recall", f1.macroRecall());
        ObjectNode classWise = node.putObject("class_wise");
        f1.classWise().forEach((label, c) -> {
            ObjectNode cls = classWise.putObject(label);
            number(cls, "f1", c.f1());
            number(cls, "precision", c.precision());
            number(cls, "recall", c.recall());
            cls.put("tp", c.truePositives());
            cls.put("fp", c.falsePositives());
            cls.put("n_ref", c.nRef());
        });
        return node;
    }

    private static ObjectNode psds(EvaluationReport.PsdsOutcome outcome) {
        ObjectNode node = MAPPER.createObjectNode();
        PsdsResult r = outcome.result();
        if (r == null) {
            node.putNull("value");
        } else {
            number(node, "value", r.value());
        }
        PsdsScenario s = outcome.scenario();
        number(node, "dtc", s.dtc());
        number(node, "gtc", s.gtc());
        if (s.cttc() == null) {
            node.putNull("cttc");
        } else {
            number(node, "cttc", s.cttc());
        }
        number(node, "alpha_ct", s.alphaCt());
        number(node, "alpha_st", s.alphaSt());
        number(node, "max_efpr", s.maxEfpr());
        if (r == null) {
            node.put("error", outcome.error());
            return node;
        }
        node.put("source", r.source() == PsdsResult.Source.SCORES ? "scores" : "operating_points");
        if (r.source() == PsdsResult.Source.SCORES) {
            node.put("thresholds", r.thresholds());
        } else {
            node.put("operating_points", r.thresholds());
            node.put("distinct_operating_points", r.operatingPoints().size());
        }
        ObjectNode single = node.putObject("single_class");
        r.singleClass().forEach((label, v) -> number(single, label, v));
        double[][] roc = r.roc().upTo(s.maxEfpr());
        ObjectNode rocNode = node.putObject("roc");
        ArrayNode efpr = rocNode.putArray("efpr");
        ArrayNode etpr = rocNode.putArray("etpr");
        for (int i = 0; i < roc[0].length; i++) {
            efpr.add(roc[0][i]);
            etpr.add(roc[1][i]);
        }
        return node;
    }

    private static void number(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }
}
