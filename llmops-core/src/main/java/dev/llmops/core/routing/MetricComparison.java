package dev.llmops.core.routing;

/**
 * One metric of one arm against the control, in an {@link ExperimentReport}: a two-sided test of "no
 * difference" (two-proportion z-test for rates, Welch's t-test for means) at a fixed horizon. The p-value is valid
 * for one look at the data; deciding by watching it repeatedly inflates false positives (canaries use a sequential
 * test for that reason).
 *
 * @param metric the metric (rates: error, guard block; means: quality, cost, latency in milliseconds)
 * @param arm the arm
 * @param control the control arm
 * @param armValue the arm's rate or mean
 * @param controlValue the control's
 * @param difference arm minus control
 * @param lower the lower end of the confidence interval of the difference
 * @param upper the upper end
 * @param pValue the two-sided p-value
 * @param significant whether {@code pValue} is below 1 - confidence
 */
public record MetricComparison(
    Metric metric, String arm, String control, double armValue, double controlValue, double difference, double lower,
    double upper, double pValue, boolean significant) {}
