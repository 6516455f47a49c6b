package dev.llmops.guardrails.chain;

/** How a chain proceeds after a guard stops the request. */
public enum ChainMode {
  /** Stop at the first guard that blocks, re-asks or escalates; later guards do not run. */
  FAIL_FAST,
  /**
   * Run every guard even after one objected, so the result lists every finding; the most severe verdict wins
   * (block, then escalate, then re-ask, then rewrite, then pass).
   */
  RUN_ALL
}
