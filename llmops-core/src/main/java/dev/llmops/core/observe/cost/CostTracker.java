package dev.llmops.core.observe.cost;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.routing.CallRecord;
import dev.llmops.core.routing.PriceTable;
import dev.llmops.core.routing.RouterListener;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Running cost totals per route, per tenant and overall, per UTC day, with alerts when a {@link CostThreshold} is
 * exceeded.
 *
 * <p>Costs are kept exactly, as whole billionths of the currency unit (each query's cost is rounded half-up to
 * 1e-9 once, then only integers are added), so totals do not depend on the order in which threads add them, and read
 * back as {@link BigDecimal}s with nine decimals. A key's day total can reach 9.2e9 units.
 *
 * <p>A query is priced by {@link PriceTables}: uncached input at the input price, cached input at the cached price
 * (and not again as input), output at the output price with reasoning tokens counted once, as the part of the output
 * they are. Calls through the router can be fed by {@link #routerListener()}, which records each answered call's
 * cost as the router priced it.
 *
 * <pre>{@code
 * CostTracker costs = CostTracker.builder(PriceTables.load(Path.of("prices.json")))
 *     .threshold(CostThreshold.perQuery(CostScope.ROUTE, 0.50))
 *     .threshold(CostThreshold.perDay(CostScope.TENANT, 200))
 *     .listener(alert -> pager.send(alert.key() + " spent " + alert.amount() + " on " + alert.day()))
 *     .build();
 * costs.record("support-bot", "acme", "gpt-4o-mini", usage, requestId);
 * BigDecimal today = costs.tenantTotal("acme", LocalDate.now(ZoneOffset.UTC));
 * }</pre>
 *
 * <p>Thread-safe and lock-free: totals are atomic counters, and each threshold alerts exactly once per day per key
 * however many threads cross it together. Listeners are called on the recording thread after the totals include the
 * query; an exception from a listener is logged and does not reach the caller. Days older than
 * {@link Builder#retainDays} before the latest day recorded are dropped (their totals read as 0).
 */
public final class CostTracker {

  private static final Logger LOG = LoggerFactory.getLogger(CostTracker.class);
  private static final BigDecimal NANOS_PER_UNIT = BigDecimal.valueOf(1_000_000_000L);

  private record TotalKey(CostScope scope, @Nullable String key, LocalDate day) {}

  private record AlertKey(int threshold, @Nullable String key, LocalDate day) {}

  private final @Nullable PriceTables prices;
  private final Clock clock;
  private final List<CostThreshold> thresholds;
  private final long[] thresholdNanos;
  private final List<Consumer<CostAlert>> listeners;
  private final int retainDays;
  private final Map<TotalKey, AtomicLong> totals = new ConcurrentHashMap<>();
  private final Set<AlertKey> alerted = ConcurrentHashMap.newKeySet();
  private final AtomicReference<@Nullable LocalDate> latestDay = new AtomicReference<>();

  private CostTracker(Builder b) {
    this.prices = b.prices;
    this.clock = b.clock;
    this.thresholds = List.copyOf(b.thresholds);
    this.thresholdNanos = new long[thresholds.size()];
    for (int i = 0; i < thresholdNanos.length; i++) {
      thresholdNanos[i] = toNanos(thresholds.get(i).amount());
    }
    this.listeners = List.copyOf(b.listeners);
    this.retainDays = b.retainDays;
  }

  /** A tracker that prices usage with {@code prices}. */
  public static Builder builder(PriceTables prices) {
    return new Builder(Objects.requireNonNull(prices, "prices"));
  }

  /** A tracker of costs priced elsewhere (by the router): {@link #record(String, String, String, TokenUsage, String)} is refused. */
  public static Builder builder() {
    return new Builder(null);
  }

  /**
   * Prices one query with the model's table and adds it to the totals of its route, tenant and the day (now, by
   * the tracker's clock).
   *
   * @param route the route (or application feature) it ran for
   * @param tenant the tenant, or {@code null}
   * @param model the model, as the price tables name it
   * @param usage the tokens it used
   * @param requestId its id, for alerts, or {@code null}
   * @return the query's cost
   * @throws NotFoundException if the price tables do not list the model
   * @throws InvalidRequestException if the tracker was built without price tables, or the route is blank
   */
  public double record(String route, @Nullable String tenant, String model, TokenUsage usage,
      @Nullable String requestId) {
    if (prices == null) {
      throw new InvalidRequestException("this cost tracker was built without price tables, so it cannot price model '"
          + model + "'; use recordCost or CostTracker.builder(prices)");
    }
    PriceTable table = prices.get(model);
    long nanos = nanos(table, usage);
    add(route, tenant, nanos, requestId, clock.instant());
    return nanos / 1e9;
  }

  /**
   * Adds a cost priced elsewhere to the totals, now by the tracker's clock.
   *
   * @throws InvalidRequestException if the cost is negative, NaN or infinite, or the route is blank
   */
  public void recordCost(String route, @Nullable String tenant, double cost, @Nullable String requestId) {
    recordCost(route, tenant, cost, requestId, clock.instant());
  }

  /**
   * Adds a cost priced elsewhere to the totals of the UTC day of {@code time}.
   *
   * @throws InvalidRequestException if the cost is negative, NaN or infinite, or the route is blank
   */
  public void recordCost(String route, @Nullable String tenant, double cost, @Nullable String requestId,
      Instant time) {
    if (!(cost >= 0) || !Double.isFinite(cost)) {
      throw new InvalidRequestException("a cost must be finite and not negative, was " + cost + " (route " + route
          + ")");
    }
    add(route, tenant, toNanos(cost), requestId, time);
  }

  /**
   * A listener that records each routed call's cost (as the router priced it, 0 for cached and failed calls) under
   * its route and tenant, on the day of the call's start. Register it with {@code Router.Builder.listener}.
   */
  public RouterListener routerListener() {
    return new RouterListener() {
      @Override
      public void onCall(CallRecord call) {
        recordCost(call.route(), call.tenant(), call.cost(), call.requestId(), call.time());
      }
    };
  }

  /** The total of {@code route} on {@code day}; 0 when none was recorded (or the day was dropped). */
  public BigDecimal routeTotal(String route, LocalDate day) {
    return total(new TotalKey(CostScope.ROUTE, route, day));
  }

  /** The total of {@code tenant} on {@code day}; 0 when none was recorded. */
  public BigDecimal tenantTotal(String tenant, LocalDate day) {
    return total(new TotalKey(CostScope.TENANT, tenant, day));
  }

  /** The total of everything on {@code day}; 0 when none was recorded. */
  public BigDecimal dayTotal(LocalDate day) {
    return total(new TotalKey(CostScope.ALL, null, day));
  }

  /**
   * Every key's total of {@code scope} on {@code day}, sorted by key; for {@link CostScope#ALL} one entry under
   * the key {@code "*"}, or none.
   */
  public Map<String, BigDecimal> totals(CostScope scope, LocalDate day) {
    Map<String, BigDecimal> found = new TreeMap<>();
    totals.forEach((k, v) -> {
      if (k.scope() == scope && k.day().equals(day)) {
        found.put(k.key() == null ? "*" : k.key(), BigDecimal.valueOf(v.get(), 9));
      }
    });
    return found;
  }

  private BigDecimal total(TotalKey key) {
    AtomicLong total = totals.get(key);
    return BigDecimal.valueOf(total == null ? 0 : total.get(), 9);
  }

  private void add(String route, @Nullable String tenant, long nanos, @Nullable String requestId, Instant time) {
    if (route.isBlank()) {
      throw new InvalidRequestException("a cost needs a route, was '" + route + "'");
    }
    LocalDate day = time.atOffset(ZoneOffset.UTC).toLocalDate();
    prune(day);
    List<CostAlert> alerts = new ArrayList<>(0);
    addTo(CostScope.ROUTE, route, day, nanos, requestId, time, alerts);
    if (tenant != null) {
      addTo(CostScope.TENANT, tenant, day, nanos, requestId, time, alerts);
    }
    addTo(CostScope.ALL, null, day, nanos, requestId, time, alerts);
    for (CostAlert alert : alerts) {
      LOG.info("cost threshold exceeded: {} {} {} on {}: {}", alert.threshold().kind(), alert.threshold().scope(),
          alert.key(), day, alert.amount());
      for (Consumer<CostAlert> listener : listeners) {
        try {
          listener.accept(alert);
        } catch (RuntimeException e) {
          LOG.warn("a cost alert listener failed", e);
        }
      }
    }
  }

  private void addTo(CostScope scope, @Nullable String key, LocalDate day, long nanos, @Nullable String requestId,
      Instant time, List<CostAlert> alerts) {
    long after = totals.computeIfAbsent(new TotalKey(scope, key, day), k -> new AtomicLong()).addAndGet(nanos);
    for (int i = 0; i < thresholds.size(); i++) {
      CostThreshold threshold = thresholds.get(i);
      if (threshold.scope() != scope) {
        continue;
      }
      boolean perQuery = threshold.kind() == CostThreshold.Kind.PER_QUERY;
      long observed = perQuery ? nanos : after;
      if (observed > thresholdNanos[i] && alerted.add(new AlertKey(i, key, day))) {
        alerts.add(new CostAlert(threshold, key, day, observed / 1e9, requestId, time));
      }
    }
  }

  /** Drops totals and alert marks of days more than retainDays before the latest day seen. */
  private void prune(LocalDate day) {
    LocalDate latest = latestDay.get();
    while (latest == null || day.isAfter(latest)) {
      if (latestDay.compareAndSet(latest, day)) {
        LocalDate cutoff = day.minusDays(retainDays);
        totals.keySet().removeIf(k -> k.day().isBefore(cutoff));
        alerted.removeIf(k -> k.day().isBefore(cutoff));
        return;
      }
      latest = latestDay.get();
    }
  }

  /** The query's cost in billionths, rounded half-up once. */
  static long nanos(PriceTable table, TokenUsage usage) {
    long uncached = Math.max(0, (long) usage.inputTokens() - usage.cachedInputTokens());
    // Prices are per million tokens; billionths per token are price * 1000.
    double billionths = (uncached * table.inputPerMillion() + usage.cachedInputTokens() * table.cachedInputPerMillion()
        + (long) usage.outputTokens() * table.outputPerMillion()) * 1000;
    return Math.round(billionths);
  }

  private static long toNanos(double amount) {
    return new BigDecimal(Double.toString(amount)).multiply(NANOS_PER_UNIT).setScale(0, java.math.RoundingMode.HALF_UP)
        .longValueExact();
  }

  /** Settings for a {@link CostTracker}; not thread-safe. */
  public static final class Builder {
    private final @Nullable PriceTables prices;
    private Clock clock = Clock.systemUTC();
    private final List<CostThreshold> thresholds = new ArrayList<>();
    private final List<Consumer<CostAlert>> listeners = new ArrayList<>();
    private int retainDays = 35;

    private Builder(@Nullable PriceTables prices) {
      this.prices = prices;
    }

    /** The clock that dates queries recorded without a time; default UTC system time. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Adds a threshold. */
    public Builder threshold(CostThreshold threshold) {
      thresholds.add(Objects.requireNonNull(threshold, "threshold"));
      return this;
    }

    /** Adds a listener for alerts. */
    public Builder listener(Consumer<CostAlert> listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * How many days before the latest recorded day to keep totals for; default 35.
     *
     * @throws InvalidRequestException if below 1
     */
    public Builder retainDays(int days) {
      if (days < 1) {
        throw new InvalidRequestException("retainDays must be at least 1, was " + days);
      }
      this.retainDays = days;
      return this;
    }

    /** The tracker. */
    public CostTracker build() {
      return new CostTracker(this);
    }
  }
}
