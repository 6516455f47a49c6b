package dev.llmops.guardrails.chain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ReviewQueue} that keeps requests in memory until {@link #take(String)}; thread-safe. It holds at most
 * its capacity of pending requests (each with the full text); when full, {@link #submit} refuses, and the chain then
 * keeps the request escalated without a ticket.
 */
public final class InMemoryReviewQueue implements ReviewQueue {

  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, ReviewRequest> pending = new LinkedHashMap<>();
  private final int capacity;

  InMemoryReviewQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("review queue capacity must be positive but was " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Queues a request.
   *
   * @throws IllegalStateException when the queue already holds its capacity of pending requests
   */
  @Override
  public synchronized String submit(ReviewRequest request) {
    if (pending.size() >= capacity) {
      throw new IllegalStateException("the review queue is full: " + pending.size() + " requests wait for review");
    }
    String ticket = "review-" + sequence.incrementAndGet();
    pending.put(ticket, request);
    return ticket;
  }

  /** The tickets waiting for review, oldest first. */
  public synchronized List<String> pending() {
    return new ArrayList<>(pending.keySet());
  }

  /** The request behind {@code ticket}, if it is still waiting. */
  public synchronized Optional<ReviewRequest> get(String ticket) {
    return Optional.ofNullable(pending.get(ticket));
  }

  /** Removes and returns the request behind {@code ticket}, once a reviewer has decided. */
  public synchronized Optional<ReviewRequest> take(String ticket) {
    return Optional.ofNullable(pending.remove(ticket));
  }
}
