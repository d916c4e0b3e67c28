package io.earshot.evaluation.psds;

import java.util.List;
import java.util.Map;

/**
 * A Polyphonic Sound Detection Score with what it was computed from.
 *
 * @param value           the PSDS: area under the PSD-ROC up to max_efpr, divided by max_efpr
 * @param roc             the whole PSD-ROC (see {@link PsdRoc#upTo} for the part that counts)
 * @param singleClass     per class, the area under its own ROC up to max_efpr / max_efpr
 * @param operatingPoints the operating points kept (identical tables count once), with their
 *                        rates; empty when computed exactly from score tables
 * @param thresholds      for score tables, the number of distinct scores at which some class's
 *                        counts change (the distinct operating points); for detection files,
 *                        the number of tables given
 */
public record PsdsResult(PsdsScenario scenario, double value, PsdRoc roc, Map<String, Double> singleClass,
                         List<String> classes, List<OperatingPointRates> operatingPoints, Source source,
                         int thresholds) {

    /** Where the operating points came from. */
    public enum Source {
        /** Every threshold of the score tables (exact, sed_scores_eval style). */
        SCORES,
        /** Detection tables, one per operating point (psds_eval style). */
        DETECTIONS
    }
}
