package dev.llmops.guardrails.chain;

/** Where in a request a guard runs. */
public enum Stage {
  /** On what goes into the model. */
  INPUT,
  /** On what comes out of the model. */
  OUTPUT
}
