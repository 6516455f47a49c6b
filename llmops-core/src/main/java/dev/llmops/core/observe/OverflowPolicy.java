package dev.llmops.core.observe;

/** What {@link AsyncLineageWriter#record} does when its buffer is full. */
public enum OverflowPolicy {
  /** Waits for room: requests slow down to the sink's pace, and no record is lost. */
  BLOCK,
  /** Drops the record at once and counts it ({@code llmops.lineage.dropped}, {@code reason=overflow}). */
  DROP,
  /**
   * Throws a retriable {@link dev.llmops.core.UnavailableException} at once, so the caller decides (for example
   * fails the request when every answer must be audited); the record is not kept and counted as dropped.
   */
  FAIL
}
