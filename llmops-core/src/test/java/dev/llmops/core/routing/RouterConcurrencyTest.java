package dev.llmops.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.RateLimitedException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many threads through one router: counts add up, limits hold exactly, the canary keeps deciding. */
class RouterConcurrencyTest {

  @Test
  void eightThreadsThroughOneRouterWithACanaryLimitsAndFailures() throws Exception {
    TestTime time = new TestTime();
    ScriptModel stable = new ScriptModel("stable", time);
    ScriptModel candidate = new ScriptModel("candidate", time);
    ScriptModel spare = new ScriptModel("spare", time);
    stable.latency = Duration.ZERO;
    candidate.latency = Duration.ZERO;
    spare.latency = Duration.ZERO;
    candidate.failEvery = 3; // a third of the candidate's calls fail: the canary must be rolled back
    Router router = Router.builder().clock(time).ticker(time).sleeper(time).meterRegistry(new SimpleMeterRegistry())
        .circuitBreaker(new CircuitBreakerSettings(0.9, 1000, Duration.ofSeconds(60), Duration.ofSeconds(1), 1))
        .deployment(Deployment.builder("stable", stable).maxConcurrency(3).build())
        .deployment(Deployment.builder("candidate", candidate).build())
        .deployment(Deployment.builder("spare", spare).build())
        .release(Release.builder("v1").deployments("stable", "spare").build())
        .release(Release.builder("v2").deployments("candidate").build())
        .route(Route.builder("bot").release("v1", 1).retry(RetryPolicy.NONE)
            .limit(RateLimit.requestsPerMinute(LimitScope.TENANT, 1000)).build())
        .build();
    Canary canary = router.startCanary("bot", "v2", CanaryPlan.builder().step(20, Duration.ZERO, 200)
        .evaluationInterval(Duration.ofMillis(1)).inconclusiveAfter(Duration.ofHours(1)).maxCostRatio(null).build(), "ana");
    int threads = 8;
    int perThread = 2_000;
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger limited = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          try {
            // tenant "capped" has 1,000 calls a minute and the clock moves only 1 ms per call in all
            String tenant = i % 2 == 0 ? "capped" : "t" + thread;
            router.chat(RouteRequest.builder("bot", ChatRequest.of("q")).unit("u" + thread + "-" + i).tenant(tenant).build());
            answered.incrementAndGet();
          } catch (RateLimitedException e) {
            limited.incrementAndGet();
          } catch (UnavailableException e) {
            failed.incrementAndGet();
          }
          time.advance(Duration.ofMillis(1));
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    int total = threads * perThread;
    assertThat(answered.get() + failed.get() + limited.get()).isEqualTo(total);
    // 8,000 calls of tenant "capped" within 16 s of fake time: the bucket of 1,000 refills by about 267
    assertThat(total / 2 - limited.get()).isBetween(1000, 1000 + 16_000 * 1000 / 60_000 + 1);
    assertThat(canary.state()).isEqualTo(CanaryState.ROLLED_BACK);
    assertThat(router.currentSplit("bot")).containsOnlyKeys("v1");
    // every model call was answered or failed exactly once; failures only come from the candidate
    assertThat(stable.calls() + spare.calls() + candidate.calls()).isEqualTo(answered.get() + failed.get());
    assertThat(failed.get()).isEqualTo(candidate.calls() / 3);
    assertThat(canary.events()).extracting(CanaryEvent::action).containsOnlyOnce(CanaryAction.ROLLBACK);
  }
}
