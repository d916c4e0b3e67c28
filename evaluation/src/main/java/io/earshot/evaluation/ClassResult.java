package io.earshot.evaluation;

/** The metric values of one class and the counts they came from. */
public record ClassResult(MetricValues values, Counts counts) {
}
