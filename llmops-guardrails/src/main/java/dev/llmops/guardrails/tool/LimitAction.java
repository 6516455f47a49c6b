package dev.llmops.guardrails.tool;

/** What {@link ToolCallGuard} does with a call over its rate limit or budget. */
public enum LimitAction {
  /** Block the answer (the default). */
  BLOCK,
  /** Hold the answer for a human. */
  ESCALATE
}
