package dev.llmops.core.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * A token-bucket limit: at most {@code amount} units per {@code per}, refilled continuously, with bursts up to
 * {@code amount}. A refused call fails with {@link dev.llmops.core.RateLimitedException} whose
 * {@code retryAfter()} says when the bucket covers it again; no model is called.
 *
 * @param scope whose traffic is counted
 * @param unit requests or tokens
 * @param amount the bucket's size and the units refilled per {@code per}; at least 1
 * @param per the refill period; positive
 */
public record RateLimit(LimitScope scope, LimitUnit unit, long amount, Duration per) {

  /** Validates the values. */
  public RateLimit {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(unit, "unit");
    if (amount < 1) {
      throw new IllegalArgumentException("a rate limit needs an amount of at least 1 but was " + amount);
    }
    if (per.isNegative() || per.isZero()) {
      throw new IllegalArgumentException("a rate limit's period must be positive but was " + per);
    }
  }

  /** {@code requests} requests per minute for each {@code scope}. */
  public static RateLimit requestsPerMinute(LimitScope scope, long requests) {
    return new RateLimit(scope, LimitUnit.REQUESTS, requests, Duration.ofMinutes(1));
  }

  /** {@code tokens} tokens (input and output) per minute for each {@code scope}. */
  public static RateLimit tokensPerMinute(LimitScope scope, long tokens) {
    return new RateLimit(scope, LimitUnit.TOKENS, tokens, Duration.ofMinutes(1));
  }

  /** Units refilled per second. */
  public double refillPerSecond() {
    return amount / (per.toNanos() / 1e9);
  }
}
