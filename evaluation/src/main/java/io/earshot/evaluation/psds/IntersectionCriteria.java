package io.earshot.evaluation.psds;

/**
 * The intersection-based criteria of Bilen et al. (ICASSP 2020), with psds_eval's arithmetic:
 * <ul>
 * <li>a detection passes the DTC when the fractions of it covered by ground-truth events of its
 * class sum to at least {@code dtc};</li>
 * <li>a ground-truth event is a true positive when the fractions of it covered by DTC-passing
 * detections of its class sum to at least {@code gtc};</li>
 * <li>a detection failing the DTC is a false positive, and a cross-trigger on another class when
 * the fractions of it covered by that class's ground truth sum to at least {@code cttc}.</li>
 * </ul>
 * A detection that passes the DTC but whose ground truth fails the GTC is neither TP nor FP.
 *
 * @param cttc null when cross-triggers are not counted
 */
public record IntersectionCriteria(double dtc, double gtc, Double cttc) {
}
