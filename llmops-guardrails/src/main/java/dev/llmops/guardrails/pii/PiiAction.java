package dev.llmops.guardrails.pii;

/** What {@link PiiGuard} does when it finds personal data. */
public enum PiiAction {
  /** Go on with the text rewritten: each match replaced as its {@link PiiOperator} says (the default). */
  REWRITE,
  /** Stop the request with a message that does not reveal what was found. */
  BLOCK,
  /** Let the text through unchanged, reporting the findings. */
  PASS
}
