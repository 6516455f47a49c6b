package dev.llmops.core.internal.feedback;

import dev.llmops.core.ConflictException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.observe.feedback.Feedback;
import dev.llmops.core.observe.feedback.FeedbackStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link FeedbackStore} in a map; thread-safe by one lock (reads copy what they return). */
public final class InMemoryFeedbackStore implements FeedbackStore {

  static final Comparator<Feedback> ORDER = Comparator.comparing(Feedback::time).thenComparing(Feedback::id);

  private final Map<String, Feedback> byId = new HashMap<>();

  @Override
  public synchronized void add(Feedback feedback) {
    Feedback existing = byId.putIfAbsent(feedback.id(), feedback);
    if (existing != null && !existing.equals(feedback)) {
      throw conflict(existing, feedback);
    }
  }

  @Override
  public synchronized Optional<Feedback> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public synchronized List<Feedback> forRequest(String requestId) {
    List<Feedback> found = new ArrayList<>();
    for (Feedback f : byId.values()) {
      if (f.requestId().equals(requestId)) {
        found.add(f);
      }
    }
    found.sort(ORDER);
    return List.copyOf(found);
  }

  @Override
  public synchronized List<Feedback> between(Instant from, Instant to) {
    checkRange(from, to);
    List<Feedback> found = new ArrayList<>();
    for (Feedback f : byId.values()) {
      if (!f.time().isBefore(from) && f.time().isBefore(to)) {
        found.add(f);
      }
    }
    found.sort(ORDER);
    return List.copyOf(found);
  }

  @Override
  public synchronized boolean delete(String id) {
    return byId.remove(id) != null;
  }

  static void checkRange(Instant from, Instant to) {
    if (to.isBefore(from)) {
      throw new InvalidRequestException("feedback range ends (" + to + ") before it starts (" + from + ")");
    }
  }

  static ConflictException conflict(Feedback existing, Feedback attempted) {
    return new ConflictException("feedback " + attempted.id() + " already exists with other content (request "
        + existing.requestId() + " by " + existing.author() + " at " + existing.time() + "); give new feedback a new id");
  }
}
