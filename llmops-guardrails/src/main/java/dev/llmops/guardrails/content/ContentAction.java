package dev.llmops.guardrails.content;

/** What a content guard ({@link TopicGuard}, {@link ToxicityGuard}) does when it objects to a text. */
public enum ContentAction {
  /** Stop the request with the guard's block message, which does not say what was found. */
  BLOCK,
  /**
   * Go on with the offending words replaced by asterisks ({@link ToxicityGuard} only; when only its classifier
   * objected and there is no span to mask, it blocks).
   */
  MASK,
  /** Go on unchanged, reporting the findings (pass with findings). */
  REPORT
}
