package dev.llmops.guardrails.grounding;

/** What {@link GroundingGuard} does with an answer whose grounded fraction is below the minimum. */
public enum GroundingAction {
  /** Pass, with a finding per unsupported sentence (the default). */
  FLAG,
  /** Rewrite the answer without its unsupported sentences; block if no supported claim would remain. */
  STRIP,
  /** Stop with a message safe for the user. */
  BLOCK,
  /** Ask the model again, naming the unsupported sentences. */
  REASK
}
