package dev.llmops.core.routing;

import dev.llmops.core.internal.routing.InMemoryLimitStore;
import dev.llmops.core.internal.routing.JdbcLimitStore;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Where the router keeps the state of its {@link RateLimit}s (token buckets) and {@link Budget}s (spend per
 * period). Every operation is atomic, so several routers sharing one store — the application's instances
 * sharing one PostgreSQL — enforce one limit between them rather than one each.
 *
 * <p>Keys are opaque strings the router builds from the route, scope, value and unit; a store never interprets
 * them. Bucket keys and budget keys are separate name spaces. Times come from the caller's clock. A bucket is
 * refilled continuously: at {@code now} its balance is {@code min(capacity, balance + elapsed * refillPerSecond)},
 * where {@code elapsed} is the time since the bucket's last update. A bucket whose last update lies in the caller's
 * future (another instance's clock runs ahead) is refilled by nothing, never by a negative amount, and keeps that
 * later update time.
 *
 * <p>Arguments are checked before anything is read or written: {@code capacity} and {@code refillPerSecond} must
 * be positive and finite, an amount to take positive and finite and at most {@code capacity} (a larger one could
 * never be granted), a delta to settle finite, a spend to add zero or positive and finite; otherwise an
 * {@link IllegalArgumentException} names the bad value. A {@code null} argument is a {@link NullPointerException}.
 *
 * <p>Implementations are safe to share across threads.
 */
public interface LimitStore extends AutoCloseable {

  /**
   * Refills bucket {@code key} up to {@code now} (starting full if it does not exist yet) and takes
   * {@code amount} if the balance covers it. A refusal takes nothing.
   *
   * @param key the bucket
   * @param capacity the bucket's size; positive and finite
   * @param refillPerSecond units added per second, up to {@code capacity}; positive and finite
   * @param amount units to take; positive, finite and at most {@code capacity}
   * @param now the caller's time
   * @return whether the units were taken, the balance after, and, when they were not, how long until the balance
   *     would cover {@code amount} if nothing else changed it: {@code (amount - balance) / refillPerSecond} seconds
   *     rounded up to the millisecond, at least one millisecond; {@link Duration#ZERO} when granted
   * @throws IllegalArgumentException if an argument is out of range, naming it; in particular if {@code amount}
   *     exceeds {@code capacity}
   */
  Acquisition tryAcquire(String key, double capacity, double refillPerSecond, double amount, Instant now);

  /**
   * Refills bucket {@code key} up to {@code now} (starting full if it does not exist yet) and then subtracts
   * {@code delta} whatever the balance: a positive delta may leave the bucket in debt (tokens counted after the
   * call), which later refills pay off before anything can be taken again; a negative one returns units, never
   * above {@code capacity}.
   *
   * @param key the bucket
   * @param capacity the bucket's size; positive and finite
   * @param refillPerSecond units added per second, up to {@code capacity}; positive and finite
   * @param delta units to subtract (negative to return units); finite
   * @param now the caller's time
   * @throws IllegalArgumentException if an argument is out of range, naming it
   */
  void settle(String key, double capacity, double refillPerSecond, double delta, Instant now);

  /**
   * Adds {@code amount} to the spend of budget {@code key} in the period starting at {@code periodStart}.
   * Concurrent additions to one period are serialised: each sees the spend the previous one left.
   *
   * @param key the budget
   * @param periodStart the start of the period, as {@link BudgetPeriod#start} computes it
   * @param amount what to add; zero or positive and finite
   * @return the spend just before and just after this addition, read atomically with it
   * @throws IllegalArgumentException if {@code amount} is negative, NaN or infinite, naming it
   */
  SpendChange addSpend(String key, Instant periodStart, double amount);

  /**
   * The spend of budget {@code key} in the period starting at {@code periodStart}.
   *
   * @return the spend, 0 when nothing was added in that period
   */
  double spent(String key, Instant periodStart);

  /** Releases connections or memory the store holds; the default does nothing. */
  @Override
  default void close() {}

  /**
   * A store in this process's memory: limits hold for the routers sharing this instance, not across processes.
   * Each call returns a new, empty store. Operations on one key are atomic and operations on different keys do not
   * block each other. It keeps one small entry per bucket key and per budget key and period for as long as it
   * lives (nothing expires), which suits a bounded set of routes, tenants and API keys.
   *
   * @return a new, empty store
   */
  static LimitStore inMemory() {
    return new InMemoryLimitStore();
  }

  /**
   * A store in a PostgreSQL database reached through {@code dataSource}, which brings the driver and, for
   * production, a connection pool: the store takes a connection for each call and closes it (gives it back to
   * the pool) before returning. Nothing is done here; on first use the store creates, if missing, two tables in
   * the schema the connections' {@code search_path} names:
   *
   * <pre>
   * llmops_rate_buckets   bucket_key text PRIMARY KEY, balance double precision, updated_at timestamptz
   * llmops_budget_spend   budget_key text, period_start timestamptz, spent double precision,
   *                       PRIMARY KEY (budget_key, period_start)
   * </pre>
   *
   * <p>The tables are shared by every store, and so every router, using the same database and schema: that is
   * how the application's instances enforce one limit together, and also why two routers that should not share
   * limits must use different keys (route names) or schemas. Several processes may create the tables at once.
   * Each take, settle and spend addition is one atomic statement, so two instances never both take the last unit
   * and no addition is lost, whatever the pool's isolation level (a refused take then reads the balance it reports,
   * which under contention may already include other callers' changes). Times are stored to the microsecond.
   * Closing the store does not close {@code dataSource}.
   *
   * <p>A connection failure is a retriable {@link dev.llmops.core.UnavailableException} naming the operation; any
   * other database failure is an {@code UnavailableException} with its SQL state. If the tables cannot be created
   * the call fails the same way and the next call tries again.
   *
   * @param dataSource where connections come from
   * @return a store on that database; it has not connected yet
   */
  static LimitStore jdbc(DataSource dataSource) {
    return new JdbcLimitStore(dataSource);
  }

  /**
   * The outcome of {@link #tryAcquire}.
   *
   * @param granted whether the units were taken
   * @param balance the balance after the call (negative while the bucket is in debt)
   * @param retryAfter when refused, how long until the balance covers the amount (at least one millisecond);
   *     zero when granted
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
