package dev.llmops.core.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A cost budget for a route: what its requests may cost per period, in the currency of the deployments'
 * {@link PriceTable}s (US dollars unless you price in another). Each request's cost is added after it completes;
 * when the spend crosses one of the {@code alertAt} fractions of the limit, the router's {@link BudgetListener}
 * hears about it once (once across every router sharing the {@link LimitStore}). With {@code hardStop}, a
 * request is refused with {@link dev.llmops.core.QuotaExceededException} once the period's spend has reached the
 * limit; without it the budget only alerts.
 *
 * @param scope whose spend is counted
 * @param period when the spend resets
 * @param limit the most the period may cost; positive
 * @param alertAt fractions of the limit to alert at, each in (0, 1], in increasing order
 * @param hardStop whether requests are refused once the limit is reached
 */
public record Budget(LimitScope scope, BudgetPeriod period, double limit, List<Double> alertAt, boolean hardStop) {

  /** Validates and copies. */
  public Budget {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(period, "period");
    if (!(limit > 0) || !Double.isFinite(limit)) {
      throw new IllegalArgumentException("a budget's limit must be a positive amount but was " + limit);
    }
    alertAt = List.copyOf(alertAt);
    double previous = 0;
    for (double fraction : alertAt) {
      if (!(fraction > previous) || fraction > 1) {
        throw new IllegalArgumentException("alert fractions must increase within (0, 1] but were " + alertAt);
      }
      previous = fraction;
    }
  }

  /** A daily budget for the whole route that alerts at 50%, 80% and 100% and stops at 100%. */
  public static Budget dailyHardLimit(double limit) {
    return new Budget(LimitScope.ROUTE, BudgetPeriod.DAY, limit, List.of(0.5, 0.8, 1.0), true);
  }

  /** This budget with other alert fractions. */
  public Budget withAlertsAt(double... fractions) {
    List<Double> list = new ArrayList<>();
    for (double f : fractions) {
      list.add(f);
    }
    return new Budget(scope, period, limit, list, hardStop);
  }
}
