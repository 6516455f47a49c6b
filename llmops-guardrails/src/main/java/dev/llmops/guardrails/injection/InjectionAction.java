package dev.llmops.guardrails.injection;

/** What {@link InjectionGuard} does with a text whose risk reaches its threshold. */
public enum InjectionAction {
  /** Stop the request with a message that does not say what was detected (the default). */
  BLOCK,
  /** Hand the request to a human reviewer. */
  ESCALATE,
  /** Let the request go on, with the findings and risk score on the pass verdict (shadow mode). */
  REPORT
}
