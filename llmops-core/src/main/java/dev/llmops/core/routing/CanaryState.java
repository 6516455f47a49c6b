package dev.llmops.core.routing;

/** Where a canary stands. */
public enum CanaryState {
  /** Taking its step's share and being analysed. */
  RUNNING,
  /** Held at its step's share, not analysed, until a person resumes, promotes, rolls back or aborts it. */
  PAUSED,
  /** Promoted past its last step: the candidate has all of the route's traffic. */
  COMPLETED,
  /** Rolled back, automatically or by hand: the baseline has all of the traffic. */
  ROLLED_BACK,
  /** Aborted by hand: the baseline has all of the traffic. */
  ABORTED;

  /** Whether the canary is over. */
  public boolean isFinal() {
    return this == COMPLETED || this == ROLLED_BACK || this == ABORTED;
  }
}
