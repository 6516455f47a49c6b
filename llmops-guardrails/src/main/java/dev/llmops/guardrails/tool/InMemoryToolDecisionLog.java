package dev.llmops.guardrails.tool;

import java.util.ArrayDeque;
import java.util.List;

/**
 * A {@link ToolDecisionLog} that keeps the latest decisions in memory, dropping the oldest beyond its capacity.
 * Thread safe; {@link #decisions()} is a consistent snapshot.
 */
public final class InMemoryToolDecisionLog implements ToolDecisionLog {

  private final int capacity;
  private final ArrayDeque<ToolDecision> decisions = new ArrayDeque<>();
  private long recorded;

  /**
   * A log holding at most {@code capacity} decisions.
   *
   * @param capacity at least 1
   * @throws IllegalArgumentException if the capacity is below 1
   */
  public InMemoryToolDecisionLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1 but was " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public synchronized void record(ToolDecision decision) {
    if (decisions.size() == capacity) {
      decisions.removeFirst();
    }
    decisions.addLast(decision);
    recorded++;
  }

  /** The kept decisions, oldest first. */
  public synchronized List<ToolDecision> decisions() {
    return List.copyOf(decisions);
  }

  /** How many decisions were recorded in all, including those dropped for capacity. */
  public synchronized long recorded() {
    return recorded;
  }

  /** The most decisions kept. */
  public int capacity() {
    return capacity;
  }

  /** Drops the kept decisions (the {@link #recorded()} count stays). */
  public synchronized void clear() {
    decisions.clear();
  }
}
