package dev.llmops.core.observe.drift;

import java.time.Instant;

/**
 * Drift found when a window closed: one metric whose effect exceeded its threshold with a significant test.
 *
 * @param metric what drifted
 * @param statistic the effect size ({@link DriftMetric} says which for each metric)
 * @param threshold the effect size it exceeded
 * @param pValue the test's p-value, below the monitor's alpha
 * @param referenceSize the reference samples that carried this metric
 * @param currentSize the current samples that carried this metric
 * @param time when the window closed, by the monitor's clock
 */
public record DriftEvent(
    DriftMetric metric, double statistic, double threshold, double pValue, int referenceSize, int currentSize,
    Instant time) {

  /** The event for a check that drifted, at {@code time}. */
  static DriftEvent of(DriftCheck check, Instant time) {
    return new DriftEvent(check.metric(), check.statistic(), check.threshold(), check.pValue(), check.referenceSize(),
        check.currentSize(), time);
  }
}
