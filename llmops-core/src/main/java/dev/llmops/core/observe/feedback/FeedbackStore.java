package dev.llmops.core.observe.feedback;

import dev.llmops.core.ConflictException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.internal.feedback.InMemoryFeedbackStore;
import dev.llmops.core.internal.feedback.JdbcFeedbackStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where feedback on answers is kept. Every implementation passes the same contract test: adding is idempotent for
 * an identical feedback and a {@link ConflictException} for a different one with the same id; lists are ordered by
 * time, then id; what is read equals what was written.
 *
 * <p>Implementations are thread-safe.
 */
public interface FeedbackStore {

  /**
   * Stores {@code feedback}. Adding the same feedback again (a retry) does nothing.
   *
   * @throws ConflictException if a different feedback with the same id is stored
   * @throws UnavailableException if the backing database cannot be reached (JDBC store)
   */
  void add(Feedback feedback);

  /** The feedback with {@code id}, if stored. */
  Optional<Feedback> find(String id);

  /** Every feedback on the answer to {@code requestId}, oldest first (ties by id); empty if none. */
  List<Feedback> forRequest(String requestId);

  /**
   * Every feedback given in [from, to), oldest first (ties by id).
   *
   * @throws dev.llmops.core.InvalidRequestException if {@code to} is before {@code from}
   */
  List<Feedback> between(Instant from, Instant to);

  /**
   * Removes the feedback with {@code id} (for example on a user's request to delete their data).
   *
   * @return whether there was one
   */
  boolean delete(String id);

  /** A store in this process's memory, for tests and single-instance tools. */
  static FeedbackStore inMemory() {
    return new InMemoryFeedbackStore();
  }

  /**
   * A store in PostgreSQL through {@code dataSource} (pooled, in a server), which creates its table
   * {@code llmops_feedback} and indexes if missing.
   *
   * @throws UnavailableException if the database cannot be reached or refuses to create the table
   */
  static FeedbackStore jdbc(DataSource dataSource) {
    return new JdbcFeedbackStore(dataSource);
  }
}
