package io.earshot.evaluation;

import io.earshot.evaluation.psds.IntersectionF1;
import io.earshot.evaluation.psds.PsdsResult;
import java.util.Locale;

/** A readable, fixed-width rendering of an {@link EvaluationReport} for a terminal. */
public final class ReportTable {
    private ReportTable() {
    }

    public static String render(EvaluationReport report) {
        StringBuilder out = new StringBuilder();
        line(out, "Evaluated %s: %d files, %.1f s of audio, %d classes", report.description(), report.files(),
                report.durationSeconds(), report.classes().size());
        EvaluationSettings settings = report.settings();
        for (EvaluationReport.ThresholdResult result : report.results()) {
            out.append('\n');
            if (result.threshold() != null) {
                line(out, "At decision threshold %s (a frame is active when its score is above it)",
                        plain(result.threshold()));
            }
            line(out, "%-44s %8s %8s %8s %6s", "", "F1", "Prec", "Rec", "ER");
            sedRows(out, String.format(Locale.ROOT, "Event-based (collar %.0f ms, offset %.0f %%)",
                    settings.eventBased().collarSeconds() * 1000, settings.eventBased().percentageOfLength() * 100),
                    result.eventBased());
            sedRows(out, String.format(Locale.ROOT, "Segment-based (%s s segments)", plain(settings.segmentSeconds())),
                    result.segmentBased());
            for (EvaluationReport.IntersectionOutcome o : result.intersection()) {
                String title = String.format(Locale.ROOT, "Intersection-based (DTC %s, GTC %s)",
                        plain(o.criteria().dtc()), plain(o.criteria().gtc()));
                if (o.f1() == null) {
                    line(out, "%s: not computed: %s", title, o.error());
                    continue;
                }
                IntersectionF1 f1 = o.f1();
                line(out, "%s", title);
                line(out, "  %-42s %8s %8s %8s", "micro", pct(f1.microF1()), pct(f1.microPrecision()),
                        pct(f1.microRecall()));
                line(out, "  %-42s %8s %8s %8s", "macro", pct(f1.macroF1()), pct(f1.macroPrecision()),
                        pct(f1.macroRecall()));
            }
            classRows(out, report, result);
        }
        if (!report.psds().isEmpty()) {
            out.append('\n');
        }
        for (EvaluationReport.PsdsOutcome o : report.psds()) {
            String name = o.scenario().name().toUpperCase(Locale.ROOT);
            if (o.result() == null) {
                line(out, "%-6s not computed: %s", name, o.error());
                continue;
            }
            PsdsResult r = o.result();
            String basis = r.source() == PsdsResult.Source.SCORES
                    ? "exact over " + r.thresholds() + " thresholds"
                    : r.operatingPoints().size() + " operating point" + (r.operatingPoints().size() == 1 ? "" : "s");
            line(out, "%-6s %.4f  (DTC %s, GTC %s, CTTC %s, alpha_ct %s, alpha_st %s, max eFPR %s/h; %s)", name,
                    r.value(), plain(o.scenario().dtc()), plain(o.scenario().gtc()),
                    o.scenario().cttc() == null ? "-" : plain(o.scenario().cttc()), plain(o.scenario().alphaCt()),
                    plain(o.scenario().alphaSt()), plain(o.scenario().maxEfpr()), basis);
        }
        return out.toString();
    }

    private static void sedRows(StringBuilder out, String title, SedMetrics m) {
        line(out, "%s", title);
        line(out, "  %-42s %8s %8s %8s %6s", "micro", pct(m.micro().f1()), pct(m.micro().precision()),
                pct(m.micro().recall()), rate(m.micro().errorRate()));
        line(out, "  %-42s %8s %8s %8s %6s", "macro", pct(m.macro().f1()), pct(m.macro().precision()),
                pct(m.macro().recall()), rate(m.macro().errorRate()));
    }

    private static void classRows(StringBuilder out, EvaluationReport report, EvaluationReport.ThresholdResult r) {
        out.append('\n');
        line(out, "%-24s %5s %5s | %8s %6s | %8s %6s | %8s %8s", "Class", "Nref", "Nsys", "Event F1", "ER",
                "Seg F1", "ER", "PSDS1", "PSDS2");
        for (String label : report.classes()) {
            ClassResult event = r.eventBased().classWise().get(label);
            ClassResult segment = r.segmentBased().classWise().get(label);
            line(out, "%-24s %5d %5d | %8s %6s | %8s %6s | %8s %8s", label, event.counts().nRef(),
                    event.counts().nSys(), pct(event.values().f1()), rate(event.values().errorRate()),
                    pct(segment.values().f1()), rate(segment.values().errorRate()), singleClass(report, "psds1", label),
                    singleClass(report, "psds2", label));
        }
    }

    private static String singleClass(EvaluationReport report, String scenario, String label) {
        for (EvaluationReport.PsdsOutcome o : report.psds()) {
            if (o.scenario().name().equals(scenario) && o.result() != null) {
                Double v = o.result().singleClass().get(label);
                return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
            }
        }
        return "-";
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", v * 100);
    }

    private static String rate(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v > 1e6 ? "n/a" : String.format(Locale.ROOT, "%.2f", v); // sed_eval: count / eps without references
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
