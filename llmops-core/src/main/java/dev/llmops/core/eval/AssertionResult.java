package dev.llmops.core.eval;

import dev.llmops.core.InvalidRequestException;
import java.util.Objects;

/**
 * What one {@link Assertion} said about one answer.
 *
 * @param name the assertion's {@link Assertion#name()}
 * @param passed whether the answer passed
 * @param score how good the answer is by this assertion, in [0, 1]: 1 or 0 for yes/no checks, the measured value
 *     for graded ones (cosine similarity, grounded fraction)
 * @param reason why it passed or failed, naming the values compared; for an assertion that threw, the exception's
 *     class and message
 */
public record AssertionResult(String name, boolean passed, double score, String reason) {

  /**
   * Validates.
   *
   * @throws InvalidRequestException if the score is not in [0, 1]
   */
  public AssertionResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reason, "reason");
    if (!(score >= 0 && score <= 1)) {
      throw new InvalidRequestException("assertion '" + name + "' gave the score " + score + ", outside [0, 1]");
    }
  }

  /** A pass with score 1. */
  public static AssertionResult pass(String name, String reason) {
    return new AssertionResult(name, true, 1, reason);
  }

  /** A failure with score 0. */
  public static AssertionResult fail(String name, String reason) {
    return new AssertionResult(name, false, 0, reason);
  }
}
