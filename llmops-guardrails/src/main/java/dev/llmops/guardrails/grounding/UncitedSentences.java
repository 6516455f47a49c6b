package dev.llmops.guardrails.grounding;

/** How {@link GroundingGuard} treats a claim that cites no chunk. */
public enum UncitedSentences {
  /** Score it against every retrieved chunk (the default). */
  CHECK_ALL_SOURCES,
  /** Count it as unsupported: every claim must cite. */
  UNSUPPORTED,
  /** Leave it out of the assessment. */
  IGNORE
}
