package dev.llmops.core.routing;

import java.time.Duration;

/**
 * How often and how patiently a retriable failure is retried on the same deployment before the next deployment is
 * tried. The n-th retry waits {@code initialBackoff * multiplier^(n-1)}, capped at {@code maxBackoff}, with
 * "full jitter" over {@code [delay * (1 - jitter), delay]}; when the deployment named a delay (Retry-After) the
 * wait is that delay instead, unless it exceeds {@code maxRetryAfter}, in which case the router moves on to the
 * next deployment at once rather than hold the caller.
 *
 * @param maxAttempts calls per deployment, the first one included; 1 means no retry
 * @param initialBackoff the wait before the first retry
 * @param maxBackoff the longest computed wait
 * @param multiplier the growth of the wait per retry; at least 1
 * @param jitter the random share taken off each wait, in [0, 1]
 * @param maxRetryAfter the longest server-named delay the router waits for
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter,
    Duration maxRetryAfter) {

  /** Two attempts per deployment, 200 ms then doubling to 5 s, half jitter, Retry-After honoured up to 10 s. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(
      2, Duration.ofMillis(200), Duration.ofSeconds(5), 2.0, 0.5, Duration.ofSeconds(10));

  /** One attempt per deployment: failures go straight to the next deployment. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0, Duration.ZERO);

  /** Validates the values. */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("backoff durations must not be negative but were initialBackoff="
          + initialBackoff + ", maxBackoff=" + maxBackoff + ", maxRetryAfter=" + maxRetryAfter);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") is below initialBackoff (" + initialBackoff + ")");
    }
    if (!(multiplier >= 1) || !Double.isFinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be at least 1 but was " + multiplier);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be within [0, 1] but was " + jitter);
    }
  }

  /** This policy with another number of attempts. */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialBackoff, maxBackoff, multiplier, jitter, maxRetryAfter);
  }

  /**
   * The wait before retry number {@code retry} (1 for the first retry).
   *
   * @param retry the retry number, from 1
   * @param random a uniform draw in [0, 1) for the jitter
   */
  public Duration backoff(int retry, double random) {
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, retry - 1);
    nanos = Math.min(nanos, maxBackoff.toNanos());
    nanos = nanos * (1 - jitter * random);
    return Duration.ofNanos((long) nanos);
  }
}
