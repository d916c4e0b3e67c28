package io.earshot.evaluation.psds;

/**
 * PSDS parameters: the intersection criteria (detection tolerance DTC, ground-truth intersection
 * GTC, cross-trigger tolerance CTTC), the cross-trigger weight alpha_ct, the class-instability
 * weight alpha_st and the eFPR limit max_efpr (per hour).
 *
 * @param cttc null when cross-triggers are not counted (then alpha_ct must be 0)
 */
public record PsdsScenario(String name, double dtc, double gtc, Double cttc, double alphaCt, double alphaSt,
                           double maxEfpr) {
    /** DCASE 2022 task 4, scenario 1: tight localisation. */
    public static final PsdsScenario DCASE_SCENARIO_1 = new PsdsScenario("psds1", 0.7, 0.7, null, 0.0, 1.0, 100.0);
    /** DCASE 2022 task 4, scenario 2: loose localisation, cross-triggers penalised. */
    public static final PsdsScenario DCASE_SCENARIO_2 = new PsdsScenario("psds2", 0.1, 0.1, 0.3, 0.5, 1.0, 100.0);

    public PsdsScenario {
        requireFraction("dtc", dtc);
        requireFraction("gtc", gtc);
        if (cttc != null) {
            requireFraction("cttc", cttc);
        }
        requireFraction("alpha_ct", alphaCt);
        if (!(alphaSt >= 0)) {
            throw new IllegalArgumentException("alpha_st must be >= 0: " + alphaSt);
        }
        if (!(maxEfpr > 0)) {
            throw new IllegalArgumentException("max_efpr must be > 0: " + maxEfpr);
        }
        if (alphaCt > 0 && cttc == null) {
            throw new IllegalArgumentException("alpha_ct > 0 needs a cttc threshold");
        }
    }

    public IntersectionCriteria criteria() {
        return new IntersectionCriteria(dtc, gtc, cttc);
    }

    private static void requireFraction(String what, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1]: " + v);
        }
    }
}
