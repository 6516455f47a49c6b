package dev.llmops.core.routing;

/**
 * What one metric showed at a canary decision: the samples, the values on each side, the threshold and the test.
 *
 * @param metric the metric
 * @param verdict what it came to
 * @param canarySamples samples on the canary side in the step's window
 * @param baselineSamples samples on the baseline side in the same window
 * @param canaryValue the canary's value (a rate, a p95 in milliseconds, a mean); NaN without samples
 * @param baselineValue the baseline's value; NaN without samples
 * @param threshold the threshold, in words ({@code "canary - baseline <= 0.01"})
 * @param test the test behind the p-value ({@code "mSPRT"}, {@code "Mann-Whitney U"}), or {@code "none"}
 * @param pValue the p-value for "the canary breaches the threshold"; 1 when not tested
 */
public record MetricEvidence(
    Metric metric, Verdict verdict, long canarySamples, long baselineSamples, double canaryValue, double baselineValue,
    String threshold, String test, double pValue) {

  /** What a metric came to. */
  public enum Verdict {
    /** Within its threshold, or not significantly beyond it with the point estimate inside. */
    PASS,
    /** Beyond its threshold with statistical evidence at the plan's confidence: grounds for rollback. */
    BREACH,
    /** The point estimate is beyond the threshold but the evidence is not yet significant. */
    INCONCLUSIVE,
    /** Too few samples on one side to judge; never counted as a failure. */
    INSUFFICIENT_DATA
  }
}
