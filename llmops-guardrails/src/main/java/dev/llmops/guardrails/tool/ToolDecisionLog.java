package dev.llmops.guardrails.tool;

/**
 * Receives every decision {@link ToolCallGuard} makes, one {@link ToolDecision} per tool call, in the order the
 * calls appear in the answer. Called on the thread that runs the guard, so implementations must be thread safe
 * and quick (hand off to a queue for slow sinks). An exception it throws propagates out of the guard.
 */
@FunctionalInterface
public interface ToolDecisionLog {

  /**
   * Records one decision.
   *
   * @param decision the decision
   */
  void record(ToolDecision decision);

  /** A log that drops every decision. */
  static ToolDecisionLog discarding() {
    return decision -> { };
  }

  /** A bounded in-memory log keeping the latest {@code capacity} decisions. */
  static InMemoryToolDecisionLog inMemory(int capacity) {
    return new InMemoryToolDecisionLog(capacity);
  }
}
