package dev.llmops.guardrails.chain;

import dev.llmops.core.guard.GuardVerdict;
import java.util.Locale;

/** How one guard's run in a chain ended; also the {@code outcome} tag of the guard metrics. */
public enum GuardOutcome {
  /** The guard passed the text. */
  PASS,
  /** The guard replaced the text. */
  REWRITE,
  /** The guard blocked. */
  BLOCK,
  /** The guard asked for a new answer. */
  REASK,
  /** The guard handed the request to a human. */
  ESCALATE,
  /** The guard threw. */
  ERROR,
  /** The guard ran past its timeout. */
  TIMEOUT,
  /** The guard did not run (an earlier guard stopped a fail-fast chain). */
  SKIPPED;

  /** The outcome a verdict stands for. */
  public static GuardOutcome of(GuardVerdict verdict) {
    if (verdict instanceof GuardVerdict.Pass) {
      return PASS;
    } else if (verdict instanceof GuardVerdict.Rewrite) {
      return REWRITE;
    } else if (verdict instanceof GuardVerdict.Block) {
      return BLOCK;
    } else if (verdict instanceof GuardVerdict.Reask) {
      return REASK;
    }
    return ESCALATE;
  }

  /** The lower-case name used in metric tags and JSON ({@code pass}, {@code rewrite}, ...). */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
