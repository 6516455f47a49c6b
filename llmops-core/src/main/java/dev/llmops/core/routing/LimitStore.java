package dev.llmops.core.routing;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the router keeps the state of its {@link RateLimit}s (token buckets) and {@link Budget}s (spend per
 * period). Every operation is atomic, so several routers sharing one store — the application's instances
 * sharing one PostgreSQL — enforce one limit between them rather than one each.
 *
 * <p>Keys are opaque strings the router builds from the route, scope, value and unit; a store never interprets
 * them. Times come from the caller's clock. A bucket whose last update lies in the caller's future (another
 * instance's clock runs ahead) is refilled by nothing, never by a negative amount.
 *
 * <p>Implementations are safe to share across threads.
 */
public interface LimitStore extends AutoCloseable {

  /**
   * Refills bucket {@code key} up to {@code now} (starting full if it does not exist yet) and takes
   * {@code amount} if the balance covers it.
   *
   * @param key the bucket
   * @param capacity the bucket's size
   * @param refillPerSecond units added per second, up to {@code capacity}
   * @param amount units to take; positive
   * @param now the caller's time
   * @return whether the units were taken, the balance after, and how long until the balance would cover
   *     {@code amount} when it did not
   */
  Acquisition tryAcquire(String key, double capacity, double refillPerSecond, double amount, Instant now);

  /**
   * Refills bucket {@code key} up to {@code now} and then subtracts {@code delta} whatever the balance: a
   * positive delta may leave the bucket in debt (tokens counted after the call), a negative one returns units
   * (never above {@code capacity}).
   */
  void settle(String key, double capacity, double refillPerSecond, double delta, Instant now);

  /**
   * Adds {@code amount} to the spend of budget {@code key} in the period starting at {@code periodStart}.
   *
   * @return the spend just before and just after this addition, read atomically with it
   */
  SpendChange addSpend(String key, Instant periodStart, double amount);

  /** The spend of budget {@code key} in the period starting at {@code periodStart}; 0 when nothing was spent. */
  double spent(String key, Instant periodStart);

  /** Releases connections or memory the store holds; the default does nothing. */
  @Override
  default void close() {}

  /**
   * The outcome of {@link #tryAcquire}.
   *
   * @param granted whether the units were taken
   * @param balance the balance after the call
   * @param retryAfter when refused, how long until the balance covers the amount (zero when granted)
   */
  record Acquisition(boolean granted, double balance, Duration retryAfter) {}

  /**
   * The outcome of {@link #addSpend}.
   *
   * @param before the spend before the addition
   * @param after the spend after it
   */
  record SpendChange(double before, double after) {}
}
