package dev.llmops.core.routing;

/** What canaries and experiments compare between the sides of a split. */
public enum Metric {
  /**
   * The share of calls to the side's deployments that failed in a way that counts against a deployment
   * ({@link ErrorClass#countsAgainstDeployment()}); each try counts, so retries cannot hide a flaky model.
   */
  ERROR_RATE,
  /** The latency of answered calls, as the caller saw it (retries included); canaries compare the 95th percentile. */
  LATENCY,
  /** The share of answers an output guard blocked, as reported through {@link Router#recordGuardOutcome}. */
  GUARD_BLOCK_RATE,
  /** An online quality score (say, the grounded fraction) fed through {@link Router#recordQuality}; higher is better. */
  QUALITY,
  /** The cost of an answered call. */
  COST
}
