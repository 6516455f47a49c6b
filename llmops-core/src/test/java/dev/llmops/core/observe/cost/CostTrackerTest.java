package dev.llmops.core.observe.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.routing.CallRecord;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.PriceTable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CostTrackerTest {

  private static final Instant T0 = Instant.parse("2026-03-01T23:00:00Z");
  private static final LocalDate DAY1 = LocalDate.of(2026, 3, 1);
  private static final LocalDate DAY2 = LocalDate.of(2026, 3, 2);

  private final PriceTables prices = PriceTables.of(Map.of(
      "mini", new PriceTable(0.15, 0.075, 0.6),
      "reasoner", new PriceTable(1.10, 0.55, 4.4)));
  private final List<CostAlert> alerts = Collections.synchronizedList(new ArrayList<>());

  @Test
  void totalsArePerRouteTenantAndUtcDayAndCachedAndReasoningTokensArePricedOnce() {
    MutableClock clock = new MutableClock(T0);
    CostTracker costs = CostTracker.builder(prices).clock(clock).build();
    // 10,000 in (8,000 cached), 2,000 out (1,500 reasoning): 2,000 x 1.10 + 8,000 x 0.55 + 2,000 x 4.4 = 15,400 / 1e6
    double cost = costs.record("support", "acme", "reasoner", new TokenUsage(10_000, 2_000, 8_000, 1_500), "r1");
    assertThat(cost).isEqualTo(0.0154);
    costs.record("support", null, "mini", TokenUsage.of(1_000, 100), "r2"); // 150 + 60 = 210 / 1e6
    costs.record("search", "acme", "mini", TokenUsage.of(2_000, 0), "r3"); // 300 / 1e6
    clock.set(T0.plus(Duration.ofHours(1))); // midnight UTC: a new day
    costs.record("support", "acme", "mini", TokenUsage.of(1_000, 0), "r4");

    assertThat(costs.routeTotal("support", DAY1)).isEqualByComparingTo("0.015610");
    assertThat(costs.routeTotal("search", DAY1)).isEqualByComparingTo("0.000300");
    assertThat(costs.tenantTotal("acme", DAY1)).isEqualByComparingTo("0.015700");
    assertThat(costs.dayTotal(DAY1)).isEqualByComparingTo("0.015910");
    assertThat(costs.dayTotal(DAY2)).isEqualByComparingTo("0.000150");
    assertThat(costs.totals(CostScope.ROUTE, DAY1)).containsOnlyKeys("search", "support");
    assertThat(costs.totals(CostScope.ALL, DAY2)).containsOnlyKeys("*");
    assertThat(costs.routeTotal("nothing", DAY1)).isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void eachThresholdAlertsOncePerDayPerKey() {
    MutableClock clock = new MutableClock(T0);
    CostTracker costs = CostTracker.builder(prices).clock(clock).listener(alerts::add)
        .threshold(CostThreshold.perQuery(CostScope.ROUTE, 0.001))
        .threshold(CostThreshold.perDay(CostScope.TENANT, 0.0005))
        .build();
    TokenUsage big = TokenUsage.of(10_000, 0); // 0.0015 on mini
    TokenUsage small = TokenUsage.of(1_000, 0); // 0.00015 on mini
    costs.record("a", "t1", "mini", big, "q1"); // per query for route a; tenant t1 at 0.0015 > 0.0005
    costs.record("a", "t1", "mini", big, "q2"); // both already alerted today
    costs.record("b", "t2", "mini", small, "q3"); // nothing
    costs.record("b", "t2", "mini", small, "q4"); // t2 at 0.0003
    costs.record("b", "t2", "mini", small, "q5"); // t2 at 0.00045: not above
    costs.record("b", "t2", "mini", small, "q6"); // t2 at 0.0006: crosses
    clock.set(T0.plus(Duration.ofHours(2)));
    costs.record("a", "t1", "mini", big, "q7"); // a new day: both alert again

    assertThat(alerts).extracting(a -> a.threshold().kind() + " " + a.key() + " " + a.day() + " " + a.requestId())
        .containsExactly("PER_QUERY a 2026-03-01 q1", "PER_DAY t1 2026-03-01 q1", "PER_DAY t2 2026-03-01 q6",
            "PER_QUERY a 2026-03-02 q7", "PER_DAY t1 2026-03-02 q7");
    assertThat(alerts.get(2).amount()).isEqualTo(0.0006);
    assertThat(alerts.get(0).amount()).isEqualTo(0.0015);
  }

  @Test
  void eightThreadsGiveExactTotalsAndOneAlertPerKey() throws Exception {
    CostTracker costs = CostTracker.builder(prices).clock(new MutableClock(T0)).listener(alerts::add)
        .threshold(CostThreshold.perDay(CostScope.ALL, 1))
        .threshold(CostThreshold.perDay(CostScope.ROUTE, 0.5))
        .build();
    int threads = 8;
    int perThread = 20_000;
    // Each query: 1,000 in (400 cached) and 300 out on mini = 600 x 0.15 + 400 x 0.075 + 300 x 0.6 = 300 / 1e6.
    TokenUsage usage = new TokenUsage(1_000, 300, 400, 100);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String route = "route-" + (t % 2);
      String tenant = "tenant-" + t;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          costs.record(route, tenant, "mini", usage, null);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    // 160,000 queries x 0.0003 = 48 exactly; each route 24; each tenant 6.
    assertThat(costs.dayTotal(DAY1)).isEqualByComparingTo("48");
    assertThat(costs.routeTotal("route-0", DAY1)).isEqualByComparingTo("24");
    assertThat(costs.routeTotal("route-1", DAY1)).isEqualByComparingTo("24");
    for (int t = 0; t < threads; t++) {
      assertThat(costs.tenantTotal("tenant-" + t, DAY1)).isEqualByComparingTo("6");
    }
    assertThat(alerts).extracting(a -> a.threshold().scope() + " " + a.key())
        .containsExactlyInAnyOrder("ALL null", "ROUTE route-0", "ROUTE route-1");
  }

  @Test
  void theRouterListenerRecordsCallCostsOnTheCallsDayAndOldDaysAreDropped() {
    CostTracker costs = CostTracker.builder().retainDays(1).build();
    costs.routerListener().onCall(call("r1", T0, "acme", 0.25));
    costs.recordCost("support", "acme", 0.125, "r2", T0.plus(Duration.ofHours(2)));
    assertThat(costs.routeTotal("support", DAY1)).isEqualByComparingTo("0.25");
    assertThat(costs.routeTotal("support", DAY2)).isEqualByComparingTo("0.125");
    costs.recordCost("support", "acme", 0.5, "r3", T0.plus(Duration.ofDays(2)));
    assertThat(costs.routeTotal("support", DAY1)).isEqualByComparingTo("0"); // more than a day before the latest
    assertThat(costs.routeTotal("support", DAY2)).isEqualByComparingTo("0.125");
    assertThatThrownBy(() -> costs.record("support", null, "mini", TokenUsage.of(1, 1), null))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("without price tables");
    assertThatThrownBy(() -> costs.recordCost("support", null, -1, null)).hasMessageContaining("-1");
    assertThatThrownBy(() -> costs.recordCost(" ", null, 1, null)).hasMessageContaining("route");
  }

  private static CallRecord call(String requestId, Instant time, String tenant, double cost) {
    ChatResponse response = new ChatResponse("ok", List.of(), FinishReason.STOP, TokenUsage.of(10, 5), "m",
        Duration.ofMillis(5), null, null);
    return new CallRecord(requestId, time, "support", Release.builder("v1").deployments("d").build(), tenant, null,
        "route", CallRecord.Outcome.ANSWERED, "d", "m", response, null, 1, 0, Duration.ofMillis(5), cost, false);
  }

  /** A settable clock. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
