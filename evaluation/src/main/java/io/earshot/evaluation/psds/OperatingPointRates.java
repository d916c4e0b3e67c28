package io.earshot.evaluation.psds;

import java.util.Map;

/**
 * The per-class rates of one operating point: true-positive ratio, false positives per hour, and
 * cross-triggers per hour of ground truth of each other class.
 */
public record OperatingPointRates(String name, Map<String, Double> tpr, Map<String, Double> fprPerHour,
                                  Map<String, Map<String, Double>> ctrPerHour) {
}
