package dev.llmops.core.observe.metrics;

import java.util.Locale;

/** How a pipeline stage ended, as {@link LlmOpsObservations} names it in the {@code outcome} key. */
public enum StageOutcome {
  /** It did its work. */
  SUCCESS,
  /** A guard blocked the request (set by the stage, or from a {@link dev.llmops.core.PolicyViolationException}). */
  BLOCKED,
  /** A guard rewrote the text (redaction, repair). */
  REWRITTEN,
  /** A cache answered. */
  CACHED,
  /** It found nothing (no chunks retrieved). */
  EMPTY,
  /** It threw. */
  ERROR;

  /** The key value: the name in lower case. */
  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
