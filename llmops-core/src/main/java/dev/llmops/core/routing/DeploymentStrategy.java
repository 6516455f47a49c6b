package dev.llmops.core.routing;

/**
 * How a {@link Release} spreads its calls over its deployments. Whatever the order, a deployment whose circuit is
 * open (cooling down) or whose concurrency limit is reached is passed over, and the next one is tried when a call
 * fails with a retriable error.
 */
public enum DeploymentStrategy {
  /** The first deployment, then the next as fallbacks: a primary with backups. */
  IN_ORDER,
  /** The deployment with the lowest moving average (EWMA) of recent latencies; untried deployments first. */
  LEAST_LATENCY,
  /** The deployment with the fewest calls in flight; ties go to the earlier one. */
  LEAST_BUSY,
  /** The deployment whose price table makes the request cheapest, by its estimated tokens. */
  CHEAPEST,
  /** A random order for every call: load spread evenly. */
  SHUFFLE
}
