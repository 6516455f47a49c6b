package dev.llmops.guardrails.tool;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A sliding-window log: at most {@code limit} acquisitions in any window of {@code windowNanos}. Exact (not a
 * token-bucket approximation); memory is at most {@code limit} timestamps. Thread safe.
 */
final class SlidingWindow {

  private final int limit;
  private final long windowNanos;
  private final ArrayDeque<Long> stamps = new ArrayDeque<>();

  SlidingWindow(int limit, long windowNanos) {
    this.limit = limit;
    this.windowNanos = windowNanos;
  }

  /** Takes a slot at {@code now} if fewer than {@code limit} were taken in {@code (now - window, now]}. */
  synchronized boolean tryAcquire(long now) {
    evict(now);
    if (stamps.size() >= limit) {
      return false;
    }
    stamps.addLast(now);
    return true;
  }

  /** Gives back a slot taken at {@code stamp} (the most recent such). */
  synchronized void release(long stamp) {
    Iterator<Long> it = stamps.descendingIterator();
    while (it.hasNext()) {
      if (it.next() == stamp) {
        it.remove();
        return;
      }
    }
  }

  /** Whether no slot is taken at {@code now}, so the window can be forgotten. */
  synchronized boolean idle(long now) {
    evict(now);
    return stamps.isEmpty();
  }

  private void evict(long now) {
    while (!stamps.isEmpty() && stamps.peekFirst() <= now - windowNanos) {
      stamps.removeFirst();
    }
  }
}
