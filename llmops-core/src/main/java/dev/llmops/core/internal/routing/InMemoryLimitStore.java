package dev.llmops.core.internal.routing;

import dev.llmops.core.routing.LimitStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link LimitStore} in this process's memory: one {@link ConcurrentHashMap} of buckets and one of spends,
 * each operation one atomic {@code compute} on its key, so operations on one key are serialised and operations on
 * different keys run in parallel. Entries are never removed.
 *
 * <p>Thread-safe. The checks on arguments and the arithmetic of refills and waits are shared with
 * {@link JdbcLimitStore}, so both stores answer alike.
 */
public final class InMemoryLimitStore implements LimitStore {

  /** A bucket's balance as of {@code updatedAt}, the latest time any caller has refilled it to. */
  private record Bucket(double balance, Instant updatedAt) {}

  /** A budget's period. */
  private record Period(String key, Instant start) {}

  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Period, Double> spend = new ConcurrentHashMap<>();

  /** An empty store. */
  public InMemoryLimitStore() {}

  @Override
  public Acquisition tryAcquire(String key, double capacity, double refillPerSecond, double amount, Instant now) {
    checkBucket(key, capacity, refillPerSecond, now);
    checkAmount(amount, capacity);
    Acquisition[] outcome = new Acquisition[1];
    buckets.compute(key, (k, old) -> {
      double available = old == null ? capacity : refill(old.balance(), old.updatedAt(), capacity, refillPerSecond, now);
      Instant updated = old == null ? now : later(old.updatedAt(), now);
      if (available >= amount) {
        outcome[0] = new Acquisition(true, available - amount, Duration.ZERO);
        return new Bucket(available - amount, updated);
      }
      outcome[0] = new Acquisition(false, available, retryAfter(amount - available, refillPerSecond));
      return new Bucket(available, updated);
    });
    return outcome[0];
  }

  @Override
  public void settle(String key, double capacity, double refillPerSecond, double delta, Instant now) {
    checkBucket(key, capacity, refillPerSecond, now);
    checkDelta(delta);
    buckets.compute(key, (k, old) -> {
      double available = old == null ? capacity : refill(old.balance(), old.updatedAt(), capacity, refillPerSecond, now);
      Instant updated = old == null ? now : later(old.updatedAt(), now);
      return new Bucket(Math.min(capacity, available - delta), updated);
    });
  }

  @Override
  public SpendChange addSpend(String key, Instant periodStart, double amount) {
    checkSpend(key, periodStart, amount);
    double[] before = new double[1];
    double after = spend.compute(new Period(key, periodStart), (p, old) -> {
      double spent = old == null ? 0 : old;
      before[0] = spent;
      return spent + amount;
    });
    return new SpendChange(before[0], after);
  }

  @Override
  public double spent(String key, Instant periodStart) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(periodStart, "periodStart");
    return spend.getOrDefault(new Period(key, periodStart), 0.0);
  }

  @Override
  public String toString() {
    return "InMemoryLimitStore[" + buckets.size() + " buckets, " + spend.size() + " budget periods]";
  }

  // ------------------------------------------------------------------ shared with JdbcLimitStore

  /** Checks the arguments that describe a bucket. */
  static void checkBucket(String key, double capacity, double refillPerSecond, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(now, "now");
    if (!(capacity > 0) || !Double.isFinite(capacity)) {
      throw new IllegalArgumentException("a bucket's capacity must be positive and finite but was " + capacity);
    }
    if (!(refillPerSecond > 0) || !Double.isFinite(refillPerSecond)) {
      throw new IllegalArgumentException(
          "a bucket's refill rate must be positive and finite (units per second) but was " + refillPerSecond);
    }
  }

  /** Checks an amount to take from a bucket of {@code capacity}. */
  static void checkAmount(double amount, double capacity) {
    if (!(amount > 0) || !Double.isFinite(amount)) {
      throw new IllegalArgumentException("the amount to take must be positive and finite but was " + amount);
    }
    if (amount > capacity) {
      throw new IllegalArgumentException("cannot take " + amount + " units from a bucket of capacity " + capacity
          + ": it never holds that many, so the request could never be granted");
    }
  }

  /** Checks a delta to settle. */
  static void checkDelta(double delta) {
    if (!Double.isFinite(delta)) {
      throw new IllegalArgumentException("the amount to settle must be finite but was " + delta);
    }
  }

  /** Checks the arguments of {@link #addSpend}. */
  static void checkSpend(String key, Instant periodStart, double amount) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(periodStart, "periodStart");
    if (!(amount >= 0) || !Double.isFinite(amount)) {
      throw new IllegalArgumentException("the spend to add must be zero or positive and finite but was " + amount);
    }
  }

  /** The balance at {@code now} of a bucket that held {@code balance} at {@code updatedAt}. */
  private static double refill(double balance, Instant updatedAt, double capacity, double refillPerSecond,
      Instant now) {
    double elapsed = (now.getEpochSecond() - updatedAt.getEpochSecond()) + (now.getNano() - updatedAt.getNano()) / 1e9;
    if (elapsed <= 0) {
      return Math.min(capacity, balance); // a clock behind the last update adds nothing and takes nothing
    }
    return Math.min(capacity, balance + elapsed * refillPerSecond);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * How long {@code missing} units take to refill at {@code refillPerSecond}, rounded up to the millisecond and at
   * least one millisecond (a refusal always asks for some wait); saturates at {@code Long.MAX_VALUE} milliseconds.
   */
  static Duration retryAfter(double missing, double refillPerSecond) {
    double millis = Math.ceil(missing / refillPerSecond * 1000);
    return Duration.ofMillis(Math.max(1, (long) millis)); // (long) of a huge or infinite double is Long.MAX_VALUE
  }
}
