package dev.llmops.guardrails.chain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link ReviewQueue} that keeps requests in memory until {@link #take(String)}; thread-safe. */
public final class InMemoryReviewQueue implements ReviewQueue {

  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, ReviewRequest> pending = new LinkedHashMap<>();

  InMemoryReviewQueue() {}

  @Override
  public synchronized String submit(ReviewRequest request) {
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
