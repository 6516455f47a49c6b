package dev.llmops.guardrails.chain;

/** What a chain does when a guard itself fails (throws or runs past its timeout) rather than deciding. */
public enum FailurePolicy {
  /** Treat the failed guard as if it had passed; the failure is still recorded and counted. */
  FAIL_OPEN,
  /** Block the request with the chain's safe message, and a {@code GUARD_FAILED} or {@code GUARD_TIMEOUT} finding. */
  FAIL_CLOSED
}
