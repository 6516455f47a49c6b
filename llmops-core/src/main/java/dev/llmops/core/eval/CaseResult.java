package dev.llmops.core.eval;

import dev.llmops.core.InvalidRequestException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Every attempt of one case, and whether the case passed.
 *
 * @param id the case's id
 * @param line the dataset line it came from, or 0
 * @param weight its weight in the weighted pass rate
 * @param tags its tags
 * @param attempts its attempts, in order; at least one
 * @param passed whether its {@link #passRate()} reached the run's minimum case pass rate
 */
public record CaseResult(
    String id, int line, double weight, Set<String> tags, List<AttemptResult> attempts, boolean passed) {

  /**
   * Validates and copies.
   *
   * @throws InvalidRequestException if there are no attempts or the weight is not positive
   */
  public CaseResult {
    Objects.requireNonNull(id, "id");
    tags = Set.copyOf(tags);
    attempts = List.copyOf(attempts);
    if (attempts.isEmpty()) {
      throw new InvalidRequestException("case '" + id + "' has no attempts");
    }
    if (!(weight > 0) || !Double.isFinite(weight)) {
      throw new InvalidRequestException("case '" + id + "' needs a positive weight but has " + weight);
    }
  }

  /** The share of attempts that passed, in [0, 1]. */
  public double passRate() {
    return (double) passedAttempts() / attempts.size();
  }

  /** How many attempts passed. */
  public int passedAttempts() {
    return (int) attempts.stream().filter(AttemptResult::passed).count();
  }

  /** The mean of the attempts' scores. */
  public double meanScore() {
    return attempts.stream().mapToDouble(AttemptResult::score).average().orElse(0);
  }

  /** The mean latency of the attempts. */
  public Duration meanLatency() {
    return Duration.ofNanos(Math.round(attempts.stream().mapToLong(a -> a.latency().toNanos()).average().orElse(0)));
  }

  /** The summed cost of the attempts whose cost is known, or {@code null} when none is. */
  public @Nullable Double cost() {
    double sum = 0;
    boolean known = false;
    for (AttemptResult a : attempts) {
      if (a.cost() != null) {
        sum += a.cost();
        known = true;
      }
    }
    return known ? sum : null;
  }
}
