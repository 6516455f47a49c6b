package dev.llmops.guardrails.grounding;

/** What {@link GroundingGuard} does with an answer that cites a chunk that was not retrieved. */
public enum UnknownCitationAction {
  /** Pass, with an {@code UNKNOWN_CITATION} finding. */
  FLAG,
  /** Ask the model again, naming the unknown ids and the ids it may cite (the default). */
  REASK,
  /** Stop with a message safe for the user. */
  BLOCK
}
