package dev.llmops.guardrails.injection;

/** What {@link InvisibleTextGuard} does with hidden characters. */
public enum InvisibleTextAction {
  /** Go on with the hidden characters removed (a rewrite; the default). */
  STRIP,
  /** Stop the request with a message that does not say what was found. */
  BLOCK,
  /** Let the text through unchanged, with findings on the pass verdict. */
  REPORT
}
