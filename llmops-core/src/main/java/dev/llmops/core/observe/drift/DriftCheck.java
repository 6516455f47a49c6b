package dev.llmops.core.observe.drift;

/**
 * One metric compared between the reference window and a current window.
 *
 * @param metric what was compared
 * @param statistic the effect size ({@link DriftMetric} says which for each metric), not negative
 * @param threshold the effect size above which a significant difference is drift
 * @param pValue the p-value of the test that the two windows come from the same distribution
 * @param drifted whether {@code statistic > threshold} and {@code pValue < alpha}: the monitor's alarm
 * @param referenceSize the reference samples that carried this metric
 * @param currentSize the current samples that carried this metric
 */
public record DriftCheck(
    DriftMetric metric, double statistic, double threshold, double pValue, boolean drifted, int referenceSize,
    int currentSize) {}
