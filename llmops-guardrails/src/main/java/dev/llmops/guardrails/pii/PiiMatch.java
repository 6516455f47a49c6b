package dev.llmops.guardrails.pii;

import dev.llmops.core.TextSpan;

/**
 * One piece of personal data found in a text: what it is, where, and how sure the recognizer is.
 *
 * @param type the entity type, a Presidio entity name such as {@code EMAIL_ADDRESS} or {@code PERSON}
 * @param start the first UTF-16 character, from 0
 * @param end one past the last character
 * @param score the confidence, in {@code [0, 1]}
 */
public record PiiMatch(String type, int start, int end, double score) {

  /** Validates the fields. */
  public PiiMatch {
    if (!PiiEntities.isValidName(type)) {
      throw new IllegalArgumentException("an entity type is UPPER_SNAKE_CASE, such as EMAIL_ADDRESS, but was '"
          + type + "'");
    }
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("a match needs 0 <= start < end but was [" + start + ", " + end + ")");
    }
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("a match score must be in [0, 1] but was " + score);
    }
  }

  /** The span of the match. */
  public TextSpan span() {
    return new TextSpan(start, end);
  }

  /** The number of characters matched. */
  public int length() {
    return end - start;
  }

  /** Whether this match shares at least one character with {@code other}. */
  public boolean overlaps(PiiMatch other) {
    return start < other.end && other.start < end;
  }
}
