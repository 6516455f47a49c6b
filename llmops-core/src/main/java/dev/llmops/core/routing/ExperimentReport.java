package dev.llmops.core.routing;

import java.time.Instant;
import java.util.List;

/**
 * Where an experiment stands: each arm's numbers and each arm compared with the control on every metric with
 * enough data (at least two samples on each side).
 *
 * @param experiment the experiment
 * @param started when it started
 * @param time when this report was made
 * @param confidence the confidence of the intervals
 * @param arms each arm's numbers, the control first
 * @param comparisons each non-control arm against the control
 */
public record ExperimentReport(
    Experiment experiment, Instant started, Instant time, double confidence, List<ArmSummary> arms,
    List<MetricComparison> comparisons) {

  /** Copies the lists. */
  public ExperimentReport {
    arms = List.copyOf(arms);
    comparisons = List.copyOf(comparisons);
  }
}
