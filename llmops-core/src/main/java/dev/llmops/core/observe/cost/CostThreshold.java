package dev.llmops.core.observe.cost;

import dev.llmops.core.InvalidRequestException;

/**
 * A cost level that raises a {@link CostAlert}: a single query costing more than {@code amount}
 * ({@link Kind#PER_QUERY}), or a day's total for one key of the scope exceeding it ({@link Kind#PER_DAY}). Either
 * alerts at most once per UTC day per key (per route, per tenant, or once for {@link CostScope#ALL}).
 *
 * @param kind per query or per day
 * @param scope what the key is: the route, the tenant, or none
 * @param amount the level, in the price tables' currency; exceeded means strictly more
 */
public record CostThreshold(Kind kind, CostScope scope, double amount) {

  /** Per query or per day. */
  public enum Kind {
    /** One query's cost. */
    PER_QUERY,
    /** A UTC day's running total. */
    PER_DAY
  }

  /**
   * Validates the amount.
   *
   * @throws InvalidRequestException if the amount is negative, NaN or infinite
   */
  public CostThreshold {
    if (!(amount >= 0) || !Double.isFinite(amount)) {
      throw new InvalidRequestException("a cost threshold must be finite and not negative, was " + amount);
    }
  }

  /** Alert when one query of a key costs more than {@code amount} (once per day per key). */
  public static CostThreshold perQuery(CostScope scope, double amount) {
    return new CostThreshold(Kind.PER_QUERY, scope, amount);
  }

  /** Alert when a key's total for a UTC day exceeds {@code amount} (once per day per key). */
  public static CostThreshold perDay(CostScope scope, double amount) {
    return new CostThreshold(Kind.PER_DAY, scope, amount);
  }
}
