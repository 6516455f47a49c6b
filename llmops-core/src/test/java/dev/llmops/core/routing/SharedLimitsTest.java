package dev.llmops.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.QuotaExceededException;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.prompt.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Two routers, as two application instances would have, sharing limits and budgets through one real PostgreSQL:
 * the limit holds for the pair, not once per instance (LiteLLM #27736).
 */
class SharedLimitsTest {

  private final TestTime time = new TestTime();

  private Router instance(DataSource database, List<BudgetAlert> alerts) {
    ScriptModel model = new ScriptModel("model", time);
    model.latency = Duration.ZERO;
    model.usage = TokenUsage.of(1000, 1000);
    return Router.builder().clock(time).ticker(time).sleeper(time).meterRegistry(new SimpleMeterRegistry())
        .limitStore(LimitStore.jdbc(database))
        .budgetListener(alerts::add)
        .deployment(Deployment.builder("model", model).prices(PriceTable.of(1.0, 1.0)).build()) // 0.002 per call
        .release(Release.builder("v1").deployments("model").build())
        .route(Route.builder("bot").release("v1", 1)
            .limit(RateLimit.requestsPerMinute(LimitScope.TENANT, 50))
            .budget(new Budget(LimitScope.ROUTE, BudgetPeriod.DAY, 0.2, List.of(0.5, 1.0), true))
            .build())
        .build();
  }

  @Test
  void twoRoutersOnOnePostgresShareOneRateLimit() throws Exception {
    TestPostgres server = TestPostgres.shared();
    String database = server.createDatabase();
    List<BudgetAlert> alerts = new CopyOnWriteArrayList<>();
    Router a = instance(server.dataSource(database), alerts);
    Router b = instance(server.dataSource(database), alerts);
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger limited = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Router r = t % 2 == 0 ? a : b;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 20; i++) {
          try {
            r.chat(RouteRequest.builder("bot", ChatRequest.of("q")).tenant("acme").build());
            answered.incrementAndGet();
          } catch (RateLimitedException e) {
            limited.incrementAndGet();
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    // 160 calls from two instances against one limit of 50 a minute, with the clock standing still
    assertThat(answered.get()).isEqualTo(50);
    assertThat(limited.get()).isEqualTo(110);
    // and the shared budget: 50 calls at 0.002 = 0.1, half of 0.2, alerted once between the two instances
    assertThat(alerts).extracting(BudgetAlert::fraction).containsExactly(0.5);
    a.close();
    b.close();
  }

  @Test
  void aBudgetSpentThroughOneRouterStopsTheOther() {
    TestPostgres server = TestPostgres.shared();
    String database = server.createDatabase();
    List<BudgetAlert> alerts = new CopyOnWriteArrayList<>();
    Router a = instance(server.dataSource(database), alerts);
    Router b = instance(server.dataSource(database), alerts);
    int answered = 0;
    for (int i = 0; i < 100; i++) {
      try {
        (i % 2 == 0 ? a : b).chat(RouteRequest.builder("bot", ChatRequest.of("q")).tenant("t" + (i % 7)).build());
        answered++;
      } catch (QuotaExceededException e) {
        assertThat(e.getMessage()).contains("day budget of 0.2");
      }
      time.advance(Duration.ofSeconds(2)); // the per-tenant rate limit never binds
    }
    assertThat(answered).isEqualTo(100); // exactly 0.2 spent at 100 calls: the 101st is refused
    try {
      b.chat(RouteRequest.builder("bot", ChatRequest.of("q")).tenant("x").build());
      throw new AssertionError("the spent budget should stop the second router too");
    } catch (QuotaExceededException expected) {
      assertThat(expected.getMessage()).contains("has spent 0.2000");
    }
    assertThat(alerts).extracting(BudgetAlert::fraction).containsExactly(0.5, 1.0);
  }
}
