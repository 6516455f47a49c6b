package dev.llmops.core.eval;

import dev.llmops.core.InvalidRequestException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One run of one case.
 *
 * @param attempt the 1-based attempt number
 * @param passed whether every assertion of positive weight passed (and the target answered)
 * @param score the weighted mean of the assertion scores (weights of 0 not counted), in [0, 1]; 1 for a case without
 *     gating assertions that got an answer, 0 when the target failed
 * @param assertions each assertion's result, in the case's order; empty when the target failed
 * @param answer the answer text, or {@code null} when the target failed
 * @param latency how long the answer took (the failed call's duration when the target failed)
 * @param cost what the answer cost, or {@code null} when unknown
 * @param error the target's failure as {@code ExceptionClass: message}, or {@code null} when it answered
 * @param requestId the router's request id when the target was a router release, else {@code null}
 */
public record AttemptResult(
    int attempt, boolean passed, double score, List<AssertionResult> assertions, @Nullable String answer,
    Duration latency, @Nullable Double cost, @Nullable String error, @Nullable String requestId) {

  /**
   * Validates and copies.
   *
   * @throws InvalidRequestException if the attempt number is below 1 or the score outside [0, 1]
   */
  public AttemptResult {
    if (attempt < 1) {
      throw new InvalidRequestException("attempt numbers start at 1 but got " + attempt);
    }
    if (!(score >= 0 && score <= 1)) {
      throw new InvalidRequestException("an attempt's score must be in [0, 1] but was " + score);
    }
    assertions = List.copyOf(assertions);
    Objects.requireNonNull(latency, "latency");
  }

  /** The results of the assertions that failed. */
  public List<AssertionResult> failures() {
    return assertions.stream().filter(a -> !a.passed()).toList();
  }
}
