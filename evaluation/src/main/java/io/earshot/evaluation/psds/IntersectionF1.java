package io.earshot.evaluation.psds;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Intersection-based F1 at one operating point: per class, true positives (ground-truth events
 * meeting the GTC), false positives (detections failing the DTC) and the reference count.
 *
 * <p>Values follow sed_scores_eval: precision = TP / (TP + FP), 1 when there are no counted
 * detections; recall = TP / Nref, 1 when the class has no reference events;
 * F1 = 2PR / max(P + R, 1e-15); the macro average is the plain mean over classes, the micro
 * average uses the summed counts. {@link #psdsEvalMacroF1()} gives psds_eval's variant.
 */
public final class IntersectionF1 {
    /** Counts and values of one class. */
    public record ClassF1(int truePositives, int falsePositives, int nRef, double f1, double precision,
                          double recall) {
    }

    private final IntersectionCriteria criteria;
    private final Map<String, ClassF1> classWise;
    private final double macroF1;
    private final double macroPrecision;
    private final double macroRecall;
    private final double microF1;
    private final double microPrecision;
    private final double microRecall;

    private IntersectionF1(IntersectionCriteria criteria, Map<String, ClassF1> classWise) {
        this.criteria = criteria;
        this.classWise = Collections.unmodifiableMap(classWise);
        double f = 0, p = 0, r = 0;
        int tp = 0, fp = 0, nRef = 0;
        for (ClassF1 c : classWise.values()) {
            f += c.f1();
            p += c.precision();
            r += c.recall();
            tp += c.truePositives();
            fp += c.falsePositives();
            nRef += c.nRef();
        }
        int k = classWise.size();
        this.macroF1 = f / k;
        this.macroPrecision = p / k;
        this.macroRecall = r / k;
        this.microPrecision = tp / (double) Math.max(tp + fp, 1);
        this.microRecall = tp / (double) Math.max(nRef, 1);
        this.microF1 = f1(microPrecision, microRecall);
    }

    static IntersectionF1 of(IntersectionCounter counter, OperatingPointCounts counts) {
        Map<String, ClassF1> classWise = new LinkedHashMap<>();
        List<String> classes = counter.classes();
        for (int c = 0; c < classes.size(); c++) {
            int tp = counts.tp[c];
            int fp = counts.fp[c];
            int nRef = counter.refCount(c);
            double precision = tp + fp == 0 ? 1.0 : tp / (double) (tp + fp);
            double recall = nRef == 0 ? 1.0 : tp / (double) nRef;
            classWise.put(classes.get(c), new ClassF1(tp, fp, nRef, f1(precision, recall), precision, recall));
        }
        return new IntersectionF1(counter.criteria(), classWise);
    }

    private static double f1(double precision, double recall) {
        return 2 * precision * recall / Math.max(precision + recall, 1e-15);
    }

    public IntersectionCriteria criteria() {
        return criteria;
    }

    public Map<String, ClassF1> classWise() {
        return classWise;
    }

    public double macroF1() {
        return macroF1;
    }

    public double macroPrecision() {
        return macroPrecision;
    }

    public double macroRecall() {
        return macroRecall;
    }

    public double microF1() {
        return microF1;
    }

    public double microPrecision() {
        return microPrecision;
    }

    public double microRecall() {
        return microRecall;
    }

    /**
     * psds_eval's {@code compute_macro_f_score}: over the classes with reference events,
     * F = 2TP / (2TP + FN + FP), NaN for a class without true positives (psds_eval derives the
     * reference count as TP / TPR, which is 0/0 there), averaged with nanmean.
     */
    public Map<String, Double> psdsEvalClassF1() {
        Map<String, Double> out = new LinkedHashMap<>();
        classWise.forEach((label, c) -> {
            if (c.nRef() == 0) {
                return;
            }
            double tp = c.truePositives();
            double nRef = tp / (tp / c.nRef()); // as psds_eval: n_gt = TP / TPR
            double fn = nRef - tp;
            out.put(label, 2 * tp / (2 * tp + fn + c.falsePositives()));
        });
        return out;
    }

    public double psdsEvalMacroF1() {
        double sum = 0;
        int n = 0;
        for (double f : psdsEvalClassF1().values()) {
            if (!Double.isNaN(f)) {
                sum += f;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
