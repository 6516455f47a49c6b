package dev.llmops.core.routing;

/** What a {@link RateLimit} counts. */
public enum LimitUnit {
  /** Requests: one per call, taken before the call. */
  REQUESTS,
  /**
   * Tokens: the estimated input tokens are taken before the call (refused if the balance does not cover them),
   * and the difference to the usage the model reports is settled after it, so a long answer leaves the bucket in
   * debt and the next calls wait.
   */
  TOKENS
}
