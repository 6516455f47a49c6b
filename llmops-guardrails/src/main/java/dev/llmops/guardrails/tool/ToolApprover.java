package dev.llmops.guardrails.tool;

import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.guard.OutputContext;

/**
 * Decides whether a call to a tool marked {@linkplain ToolPolicy#dangerous() dangerous} may run. Called by
 * {@link ToolCallGuard} after the call passed the allow-list, argument, rate and budget checks. Must be safe to
 * call from many threads; an exception it throws propagates out of the guard's {@code check} (a guard failure,
 * which the chain's failure policy handles).
 */
@FunctionalInterface
public interface ToolApprover {

  /** An approver's answer. */
  enum Approval {
    /** The call may run. */
    APPROVE,
    /** The call must not run; the answer is blocked. */
    DENY,
    /** A human must decide; the answer is escalated. */
    ESCALATE
  }

  /**
   * Decides about one call.
   *
   * @param call the call, with its arguments as the model produced them (already validated)
   * @param context the answer the call came with, including the tenant and request attributes
   * @return the decision
   */
  Approval decide(ToolCall call, OutputContext context);

  /** The default: every dangerous call goes to a human. */
  static ToolApprover escalateAll() {
    return (call, context) -> Approval.ESCALATE;
  }

  /** Approves every call (for tests, or where the tool itself asks the user). */
  static ToolApprover approveAll() {
    return (call, context) -> Approval.APPROVE;
  }

  /** Denies every call. */
  static ToolApprover denyAll() {
    return (call, context) -> Approval.DENY;
  }
}
