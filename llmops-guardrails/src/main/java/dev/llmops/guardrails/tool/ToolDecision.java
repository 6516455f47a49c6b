package dev.llmops.guardrails.tool;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ToolCallGuard} decided about one tool call, as given to its {@link ToolDecisionLog}.
 *
 * @param tool the tool the model asked for
 * @param callId the call's id
 * @param tenant the caller's tenant, or {@code null}
 * @param outcome the decision
 * @param reason a short explanation for operators (never the arguments themselves)
 * @param time when the decision was made, by the guard's clock
 */
public record ToolDecision(String tool, String callId, @Nullable String tenant, Outcome outcome, String reason, Instant time) {

  /** The possible decisions about a call. */
  public enum Outcome {
    /** The call may run (a dangerous tool only after approval: {@link #APPROVED}). */
    ALLOWED,
    /** A dangerous tool's call that the approver approved. */
    APPROVED,
    /** A dangerous tool's call that the approver denied. */
    DENIED,
    /** A call held for a human: a dangerous tool the approver escalated, or a limit set to escalate. */
    ESCALATED,
    /** A tool that is not on the allow-list. */
    UNKNOWN_TOOL,
    /** Arguments that are not JSON or do not conform to the tool's schema. */
    INVALID_ARGUMENTS,
    /** Over the tool's rate limit for the tenant. */
    RATE_LIMITED,
    /** Over the tool's call budget or the conversation's cost budget. */
    BUDGET_EXCEEDED,
    /** Not run because another call in the same answer was rejected. */
    SKIPPED
  }

  /** Validates the fields. */
  public ToolDecision {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(time, "time");
  }

  /** Whether the call may run now (allowed or approved). */
  public boolean runs() {
    return outcome == Outcome.ALLOWED || outcome == Outcome.APPROVED;
  }
}
