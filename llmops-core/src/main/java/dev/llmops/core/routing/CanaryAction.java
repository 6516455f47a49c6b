package dev.llmops.core.routing;

/** What a canary decision did (or, in a dry run, would have done). */
public enum CanaryAction {
  /** The canary started at its first step. */
  START,
  /** Stayed at the step: not enough data yet, or a metric is worse but not yet significantly. */
  HOLD,
  /** Moved to the next step. */
  PROMOTE,
  /** Promoted past the last step: all traffic to the candidate. */
  COMPLETE,
  /** All traffic back to the baseline, at once. */
  ROLLBACK,
  /** Waiting for a person: inconclusive past the step's deadline, or paused by hand. */
  PAUSE,
  /** Analysis resumed after a pause. */
  RESUME,
  /** Stopped by hand: all traffic back to the baseline. */
  ABORT
}
