package dev.llmops.core.observe.feedback;

import dev.llmops.core.InvalidRequestException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A person's (or an evaluator's) judgement of one answer, attached to the answer's request id, the id its
 * {@link dev.llmops.core.observe.LineageRecord} carries.
 *
 * <p>Immutable. The time is kept to the microsecond (what PostgreSQL stores), so a feedback read back from any
 * {@link FeedbackStore} equals the one written.
 *
 * @param id this feedback's id; not blank, at most 200 characters
 * @param requestId the answer's request (lineage) id; not blank, at most 200 characters
 * @param author who gave it (a user id, a reviewer, an evaluator's name); not blank, at most 200 characters
 * @param time when it was given
 * @param score a numeric judgement (a rating, a thumbs up as 1 and down as 0), finite; or {@code null}
 * @param label a category ("wrong", "helpful", "unsafe"); not blank, at most 200 characters; or {@code null}
 * @param comment free text, at most 10,000 characters; or {@code null}
 * @param correction the answer the author would have expected, at most 100,000 characters; or {@code null}. It
 *     becomes the {@code expected} value of an exported dataset.
 */
public record Feedback(
    String id, String requestId, String author, Instant time, @Nullable Double score, @Nullable String label,
    @Nullable String comment, @Nullable String correction) {

  private static final int MAX_NAME = 200;
  private static final int MAX_COMMENT = 10_000;
  private static final int MAX_CORRECTION = 100_000;

  /**
   * Validates the fields and truncates the time to microseconds.
   *
   * @throws InvalidRequestException naming the field and value: a blank or over-long id, request id, author or
   *     label, a non-finite score, an over-long comment or correction, or none of score, label, comment and
   *     correction
   */
  public Feedback {
    name("id", id);
    name("requestId", requestId);
    name("author", author);
    time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.MICROS);
    if (score != null && !Double.isFinite(score)) {
      throw new InvalidRequestException("feedback " + id + ": score must be finite, was " + score);
    }
    if (label != null) {
      name("label", label);
    }
    if (comment != null && comment.length() > MAX_COMMENT) {
      throw new InvalidRequestException("feedback " + id + ": comment has " + comment.length()
          + " characters, at most " + MAX_COMMENT + " are allowed");
    }
    if (correction != null && correction.length() > MAX_CORRECTION) {
      throw new InvalidRequestException("feedback " + id + ": correction has " + correction.length()
          + " characters, at most " + MAX_CORRECTION + " are allowed");
    }
    if (score == null && label == null && comment == null && correction == null) {
      throw new InvalidRequestException("feedback " + id + " on request " + requestId
          + " carries nothing: give a score, a label, a comment or a correction");
    }
  }

  /**
   * A builder for feedback on {@code requestId} by {@code author}, with a random UUID as its id.
   *
   * @param requestId the answer's request id
   * @param author who gives it
   */
  public static Builder builder(String requestId, String author) {
    return new Builder(requestId, author);
  }

  private static void name(String field, String value) {
    Objects.requireNonNull(value, field);
    if (value.isBlank() || value.length() > MAX_NAME) {
      throw new InvalidRequestException("feedback " + field + " must be non-blank and at most " + MAX_NAME
          + " characters, was '" + (value.length() > 50 ? value.substring(0, 50) + "...' (" + value.length()
          + " characters)" : value + "'"));
    }
  }

  /** Builds a {@link Feedback}; not thread-safe. */
  public static final class Builder {
    private final String requestId;
    private final String author;
    private String id = UUID.randomUUID().toString();
    private @Nullable Instant time;
    private @Nullable Double score;
    private @Nullable String label;
    private @Nullable String comment;
    private @Nullable String correction;

    private Builder(String requestId, String author) {
      this.requestId = requestId;
      this.author = author;
    }

    /** The feedback's own id (default: a random UUID); a stable id makes a retried write idempotent. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** When it was given (default: now, by the clock passed to {@link #build(Clock)}). */
    public Builder time(Instant time) {
      this.time = time;
      return this;
    }

    /** A numeric judgement. */
    public Builder score(double score) {
      this.score = score;
      return this;
    }

    /** A category. */
    public Builder label(String label) {
      this.label = label;
      return this;
    }

    /** Free text. */
    public Builder comment(String comment) {
      this.comment = comment;
      return this;
    }

    /** The answer the author expected. */
    public Builder correction(String correction) {
      this.correction = correction;
      return this;
    }

    /**
     * The feedback, at the time set or else now by the system UTC clock.
     *
     * @throws InvalidRequestException as the record's constructor
     */
    public Feedback build() {
      return build(Clock.systemUTC());
    }

    /**
     * The feedback, at the time set or else now by {@code clock}.
     *
     * @throws InvalidRequestException as the record's constructor
     */
    public Feedback build(Clock clock) {
      return new Feedback(id, requestId, author, time != null ? time : clock.instant(), score, label, comment,
          correction);
    }
  }
}
