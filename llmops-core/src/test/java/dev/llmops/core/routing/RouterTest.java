package dev.llmops.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmops.core.AuthenticationException;
import dev.llmops.core.ConflictException;
import dev.llmops.core.ContextTooLongException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.QuotaExceededException;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RouterTest {

  private final TestTime time = new TestTime();
  private final ScriptModel primary = new ScriptModel("primary", time);
  private final ScriptModel backup = new ScriptModel("backup", time);
  private final ScriptModel longContext = new ScriptModel("long-context", time);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private Router.Builder router(Route route) {
    return Router.builder()
        .clock(time).ticker(time).sleeper(time).seed(1).meterRegistry(meters)
        .deployment(Deployment.builder("primary", primary).prices(PriceTable.of(1.0, 2.0)).version("p-2026-01").build())
        .deployment(Deployment.builder("backup", backup).prices(PriceTable.of(0.5, 1.0)).build())
        .deployment(Deployment.builder("long-context", longContext).build())
        .release(Release.builder("v1").deployments("primary", "backup").prompt("answer@3").indexSnapshot("s1-x")
            .parameters(GenerationParameters.temperature(0.0).withMaxTokens(50)).build())
        .release(Release.builder("v2").deployments("backup").build())
        .route(route);
  }

  private static Route.Builder route() {
    return Route.builder("bot").release("v1", 1);
  }

  private static RouteRequest call(String text) {
    return RouteRequest.of("bot", ChatRequest.of(text));
  }

  @Test
  void answersThroughTheReleaseWithItsParametersAndPricesTheCall() {
    Router r = router(route().build()).build();

    RoutedResponse answer = r.chat(call("hello"));

    assertThat(answer.text()).isEqualTo("answer from primary");
    assertThat(answer.release().prompt()).isEqualTo("answer@3");
    assertThat(answer.deployment()).isEqualTo("primary");
    assertThat(answer.deploymentVersion()).isEqualTo("p-2026-01");
    assertThat(answer.arm()).isEqualTo("route");
    assertThat(primary.requests.get(0).temperature()).isEqualTo(0.0);
    assertThat(primary.requests.get(0).maxTokens()).isEqualTo(50);
    // 1000 input tokens at 1.0/M + 500 output at 2.0/M
    assertThat(answer.cost()).isCloseTo(0.002, within(1e-12));
    assertThat(answer.usageEstimated()).isFalse();
    assertThat(answer.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.SUCCEEDED);
    assertThat(meters.get("llmops.router.requests").tag("outcome", "answered").counter().count()).isEqualTo(1);
  }

  @Test
  void cachedInputTokensArePricedAtTheirOwnPrice() {
    PriceTable prices = new PriceTable(2.0, 0.5, 8.0);
    // 1,000 input of which 600 cached; 100 output
    assertThat(prices.cost(new TokenUsage(1000, 100, 600, 40))).isCloseTo((400 * 2.0 + 600 * 0.5 + 100 * 8.0) / 1e6, within(1e-15));
  }

  @Test
  void retriesHonourRetryAfterThenFailOverToTheNextDeployment() {
    primary.thenFail(() -> new RateLimitedException("429", Duration.ofSeconds(3), null))
        .thenFail(() -> new UnavailableException("503"));
    Router r = router(route().retry(RetryPolicy.DEFAULT).build()).build();

    RoutedResponse answer = r.chat(call("hi"));

    assertThat(answer.deployment()).isEqualTo("backup");
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(3)); // the server's delay, not the computed backoff
    assertThat(answer.attempts()).extracting(Attempt::deployment, Attempt::outcome, Attempt::errorClass).containsExactly(
        org.assertj.core.groups.Tuple.tuple("primary", Attempt.Outcome.FAILED, ErrorClass.RATE_LIMITED),
        org.assertj.core.groups.Tuple.tuple("primary", Attempt.Outcome.FAILED, ErrorClass.UNAVAILABLE),
        org.assertj.core.groups.Tuple.tuple("backup", Attempt.Outcome.SUCCEEDED, null));
    assertThat(answer.attempts().get(1).backoff()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aRetryAfterLongerThanTheCallerShouldWaitMovesOnAtOnce() {
    primary.thenFail(() -> new RateLimitedException("429", Duration.ofMinutes(5), null));
    Router r = router(route().build()).build();

    assertThat(r.chat(call("hi")).deployment()).isEqualTo("backup");
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void backoffGrowsExponentiallyWithJitterWithinItsBounds() {
    RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000), 2, 0.5, Duration.ofSeconds(1));
    assertThat(policy.backoff(1, 0)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.backoff(3, 0)).isEqualTo(Duration.ofMillis(400));
    assertThat(policy.backoff(10, 0)).isEqualTo(Duration.ofMillis(1000));
    assertThat(policy.backoff(3, 0.999)).isBetween(Duration.ofMillis(200), Duration.ofMillis(201));
    primary.alwaysFail = () -> new UnavailableException("down");
    backup.alwaysFail = () -> new UnavailableException("down too");
    Router r = router(route().retry(policy.withMaxAttempts(3)).build()).build();

    assertThatThrownBy(() -> r.chat(call("hi"))).isInstanceOf(UnavailableException.class).hasMessage("down too");
    assertThat(time.sleeps).hasSize(4); // two retries on each of the two deployments
    for (int i = 0; i < 4; i += 2) {
      assertThat(time.sleeps.get(i)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(time.sleeps.get(i + 1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }
  }

  @Test
  void contextTooLongGoesToTheRoutesFallbackForThatClassWithoutRetrying() {
    primary.thenFail(() -> new ContextTooLongException("too long"));
    Router r = router(route().fallback(ErrorClass.CONTEXT_TOO_LONG, "long-context").build()).build();

    RoutedResponse answer = r.chat(call("a very long conversation"));

    assertThat(answer.deployment()).isEqualTo("long-context");
    assertThat(primary.calls()).isEqualTo(1);
    assertThat(backup.calls()).isZero(); // the same model family behind the release would refuse it too
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void withoutAFallbackTheCallerGetsTheTypedFailure() {
    primary.thenFail(() -> new ContextTooLongException("too long"));
    Router r = router(route().build()).build();

    assertThatThrownBy(() -> r.chat(call("x"))).isInstanceOf(ContextTooLongException.class);
  }

  @Test
  void anInvalidRequestIsNeitherRetriedNorFailedOver() {
    primary.thenFail(() -> new InvalidRequestException("bad tool schema"));
    Router r = router(route().fallbacks("long-context").build()).build();

    assertThatThrownBy(() -> r.chat(call("x"))).isInstanceOf(InvalidRequestException.class).hasMessage("bad tool schema");
    assertThat(backup.calls() + longContext.calls()).isZero();
  }

  @Test
  void refusedCredentialsMoveToTheNextDeploymentWithoutRetry() {
    primary.thenFail(() -> new AuthenticationException("401"));
    Router r = router(route().build()).build();

    assertThat(r.chat(call("x")).deployment()).isEqualTo("backup");
    assertThat(primary.calls()).isEqualTo(1);
  }

  @Test
  void generalFallbacksTakeOverWhenEveryDeploymentOfTheReleaseFailed() {
    primary.alwaysFail = () -> new UnavailableException("down");
    backup.alwaysFail = () -> new UnavailableException("down");
    Router r = router(route().retry(RetryPolicy.NONE).fallbacks("long-context").build()).build();

    assertThat(r.chat(call("x")).deployment()).isEqualTo("long-context");
  }

  @Test
  void aStreamThatFailsBeforeItsFirstTokenFailsOverAndTheCallerSeesOnlyTheSecondAnswer() {
    primary.thenFail(() -> new UnavailableException("connection reset"));
    Router r = router(route().retry(RetryPolicy.NONE).build()).build();
    StringBuilder seen = new StringBuilder();

    RoutedResponse answer = r.stream(call("x"), seen::append);

    assertThat(seen).hasToString("answer from backup");
    assertThat(answer.deployment()).isEqualTo("backup");
  }

  @Test
  void aStreamThatBreaksAfterItsFirstTokenIsAMidStreamErrorAndIsNotFailedOver() {
    primary.thenFail(() -> new UnavailableException("connection reset"));
    primary.failStreamAfterTokens = 2;
    Router r = router(route().fallbacks("long-context").build()).build();
    List<String> seen = new ArrayList<>();

    assertThatThrownBy(() -> r.stream(call("x"), seen::add))
        .isInstanceOfSatisfying(MidStreamException.class, e -> {
          assertThat(e.deployment()).isEqualTo("primary");
          assertThat(e.tokensDelivered()).isEqualTo(2);
          assertThat(e.partialText()).isEqualTo("answer from ");
          assertThat(e.getCause()).hasMessage("connection reset");
        });
    assertThat(seen).containsExactly("answer ", "from ");
    assertThat(backup.calls() + longContext.calls()).isZero();
  }

  @Test
  void theCircuitOpensAfterTheMinimumSampleAndTheDeploymentCoolsDown() {
    CircuitBreakerSettings breaker = new CircuitBreakerSettings(0.5, 5, Duration.ofSeconds(60), Duration.ofSeconds(30), 1);
    primary.alwaysFail = () -> new UnavailableException("down");
    List<String> changes = new CopyOnWriteArrayList<>();
    Router r = router(route().retry(RetryPolicy.NONE).build()).circuitBreaker(breaker)
        .listener(new RouterListener() {
          @Override
          public void onCircuitChange(String deployment, String from, String to, java.time.Instant at) {
            changes.add(deployment + ":" + from + "->" + to);
          }
        }).build();

    for (int i = 0; i < 4; i++) {
      r.chat(call("x"));
      assertThat(r.circuitState("primary")).isEqualTo("CLOSED"); // fewer than 5 calls: no judgement yet
    }
    r.chat(call("x"));
    assertThat(r.circuitState("primary")).isEqualTo("OPEN");
    assertThat(changes).containsExactly("primary:CLOSED->OPEN");

    int before = primary.calls();
    RoutedResponse skipped = r.chat(call("x"));
    assertThat(primary.calls()).isEqualTo(before); // cooling down: not called at all
    assertThat(skipped.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.SKIPPED);
    assertThat(skipped.attempts().get(0).detail()).contains("circuit open");

    time.advance(Duration.ofSeconds(31));
    primary.alwaysFail = null;
    assertThat(r.chat(call("x")).deployment()).isEqualTo("primary"); // the probe
    assertThat(r.circuitState("primary")).isEqualTo("CLOSED");
  }

  @Test
  void withEveryDeploymentCoolingDownTheErrorNamesRouteReleaseAndStates() {
    CircuitBreakerSettings breaker = new CircuitBreakerSettings(0.5, 2, Duration.ofSeconds(60), Duration.ofSeconds(30), 1);
    primary.alwaysFail = () -> new UnavailableException("down");
    backup.alwaysFail = () -> new UnavailableException("down");
    Router r = router(route().retry(RetryPolicy.NONE).build()).circuitBreaker(breaker).build();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> r.chat(call("x"))).isInstanceOf(UnavailableException.class);
    }

    assertThatThrownBy(() -> r.chat(call("x")))
        .isInstanceOfSatisfying(NoHealthyDeploymentException.class, e -> {
          assertThat(e.getMessage()).contains("route 'bot'", "release 'v1'", "primary: circuit open", "backup: circuit open");
          assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30)));
        });
  }

  @Test
  void callersMistakesDoNotOpenTheCircuit() {
    CircuitBreakerSettings breaker = new CircuitBreakerSettings(0.5, 2, Duration.ofSeconds(60), Duration.ofSeconds(30), 1);
    primary.alwaysFail = () -> new InvalidRequestException("bad");
    Router r = router(route().build()).circuitBreaker(breaker).build();
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> r.chat(call("x"))).isInstanceOf(InvalidRequestException.class);
    }
    assertThat(r.circuitState("primary")).isEqualTo("CLOSED");
  }

  @Test
  void aDeploymentAtItsConcurrencyLimitIsPassedOver() throws Exception {
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    dev.llmops.core.chat.ChatModel blocking = request -> {
      inside.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new dev.llmops.core.chat.ChatResponse("slow", List.of(), dev.llmops.core.chat.FinishReason.STOP, null, "slow",
          Duration.ZERO, null, null);
    };
    Router r = Router.builder().clock(time).ticker(time).sleeper(time).meterRegistry(meters)
        .deployment(Deployment.builder("slow", blocking).maxConcurrency(1).build())
        .deployment(Deployment.builder("backup", backup).build())
        .release(Release.builder("v1").deployments("slow", "backup").build())
        .route(route().build()).build();
    Thread first = new Thread(() -> r.chat(call("x")));
    first.start();
    inside.await();

    RoutedResponse second = r.chat(call("y"));

    assertThat(second.deployment()).isEqualTo("backup");
    assertThat(second.attempts().get(0).detail()).contains("concurrency limit of 1");
    release.countDown();
    first.join();
  }

  @Test
  void leastLatencyPrefersTheFasterDeploymentOnceBothAreMeasured() {
    primary.latency = Duration.ofMillis(900);
    backup.latency = Duration.ofMillis(100);
    Router r = Router.builder().clock(time).ticker(time).sleeper(time).meterRegistry(meters)
        .deployment(Deployment.builder("primary", primary).build())
        .deployment(Deployment.builder("backup", backup).build())
        .release(Release.builder("v1").deployments("primary", "backup").strategy(DeploymentStrategy.LEAST_LATENCY).build())
        .route(route().build()).build();
    Map<String, Integer> answeredBy = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      answeredBy.merge(r.chat(call("x")).deployment(), 1, Integer::sum);
    }
    assertThat(answeredBy.get("primary")).isEqualTo(1); // tried once (untried first), then never again
    assertThat(answeredBy.get("backup")).isEqualTo(19);
  }

  @Test
  void leastBusySendsTheNextCallToTheDeploymentWithFewerCallsInFlight() throws Exception {
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    dev.llmops.core.chat.ChatModel blocking = request -> {
      inside.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new dev.llmops.core.chat.ChatResponse("slow", List.of(), dev.llmops.core.chat.FinishReason.STOP, null, "slow",
          Duration.ZERO, null, null);
    };
    Router r = Router.builder().clock(time).ticker(time).sleeper(time).meterRegistry(meters)
        .deployment(Deployment.builder("busy", blocking).build())
        .deployment(Deployment.builder("backup", backup).build())
        .release(Release.builder("v1").deployments("busy", "backup").strategy(DeploymentStrategy.LEAST_BUSY).build())
        .route(route().build()).build();
    Thread first = new Thread(() -> r.chat(call("x")));
    first.start();
    inside.await();

    assertThat(r.chat(call("y")).deployment()).isEqualTo("backup"); // "busy" has one call in flight, "backup" none
    release.countDown();
    first.join();
    assertThat(r.chat(call("z")).deployment()).isEqualTo("busy"); // a tie again: the first one
  }

  @Test
  void shuffleSpreadsCallsOverEveryDeployment() {
    Router r = Router.builder().clock(time).ticker(time).sleeper(time).meterRegistry(meters).seed(5)
        .deployment(Deployment.builder("primary", primary).build())
        .deployment(Deployment.builder("backup", backup).build())
        .release(Release.builder("v1").deployments("primary", "backup").strategy(DeploymentStrategy.SHUFFLE).build())
        .route(route().build()).build();
    for (int i = 0; i < 400; i++) {
      r.chat(call("x"));
    }
    assertThat(primary.calls()).isBetween(160, 240);
    assertThat(primary.calls() + backup.calls()).isEqualTo(400);
  }

  @Test
  void cheapestFirstPicksByPriceTable() {
    Router r = Router.builder().clock(time).ticker(time).sleeper(time).meterRegistry(meters)
        .deployment(Deployment.builder("primary", primary).prices(PriceTable.of(5, 15)).build())
        .deployment(Deployment.builder("backup", backup).prices(PriceTable.of(0.1, 0.4)).build())
        .release(Release.builder("v1").deployments("primary", "backup").strategy(DeploymentStrategy.CHEAPEST).build())
        .route(route().build()).build();
    assertThat(r.chat(call("x")).deployment()).isEqualTo("backup");
  }

  @Test
  void weightsAreRelativeAndAssignmentIsStickyPerUnit() {
    Router r = router(Route.builder("bot").release("v1", 3).release("v2", 1).build()).build();
    assertThat(r.currentSplit("bot")).containsEntry("v1", 75.0).containsEntry("v2", 25.0);

    Map<String, String> first = new HashMap<>();
    int v2 = 0;
    for (int u = 0; u < 2000; u++) {
      String release = r.chat(RouteRequest.builder("bot", ChatRequest.of("q")).unit("user-" + u).build()).release().name();
      first.put("user-" + u, release);
      v2 += release.equals("v2") ? 1 : 0;
    }
    assertThat(v2).isBetween(420, 580); // 25% of 2,000 = 500, binomial sd about 19
    for (int u = 0; u < 2000; u++) {
      String again = r.chat(RouteRequest.builder("bot", ChatRequest.of("other question")).unit("user-" + u).build())
          .release().name();
      assertThat(again).isEqualTo(first.get("user-" + u));
    }
  }

  @Test
  void raisingACanarysShareOnlyMovesBaselineUnitsToIt() {
    Router r = router(route().build()).build();
    Canary canary = r.startCanary("bot", "v2", CanaryPlan.builder()
        .step(5, Duration.ZERO, 1_000_000).step(25, Duration.ZERO, 1_000_000).build(), "ana"); // promoted by hand only
    Map<String, String> atFive = new HashMap<>();
    for (int u = 0; u < 3000; u++) {
      atFive.put("u" + u, r.chat(RouteRequest.builder("bot", ChatRequest.of("q")).unit("u" + u).build()).release().name());
    }
    canary.promote("ana", "looks fine");
    int moved = 0;
    for (int u = 0; u < 3000; u++) {
      String now = r.chat(RouteRequest.builder("bot", ChatRequest.of("q")).unit("u" + u).build()).release().name();
      if (atFive.get("u" + u).equals("v2")) {
        assertThat(now).as("a canary unit stays on the canary").isEqualTo("v2");
      } else if (now.equals("v2")) {
        moved++;
      }
    }
    assertThat(moved).isBetween(500, 700); // 20% of the 95% baseline units move: about 600
  }

  @Test
  void badWeightsAndUnknownNamesAreClearErrors() {
    assertThatThrownBy(() -> Route.builder("bot").release("v1", 0)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("release 'v1' needs a positive weight but got 0.0");
    assertThatThrownBy(() -> Route.builder("bot").release("v1", -2)).hasMessageContaining("-2.0");
    assertThatThrownBy(() -> Route.builder("bot").release("v1", Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> router(Route.builder("bot").release("v9", 1).build()).build())
        .isInstanceOf(NotFoundException.class).hasMessageContaining("unknown release 'v9'");
    Router r = router(route().build()).build();
    assertThatThrownBy(() -> r.chat(RouteRequest.of("nope", ChatRequest.of("x"))))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("unknown route 'nope'; known: [bot]");
    assertThatThrownBy(() -> r.addRelease(Release.builder("v3").deployments("ghost").build()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("unknown deployment 'ghost'");
    assertThatThrownBy(() -> r.addRelease(Release.builder("v1").deployments("backup").build()))
        .isInstanceOf(ConflictException.class).hasMessageContaining("releases are immutable");
    assertThatThrownBy(() -> new Budget(LimitScope.ROUTE, BudgetPeriod.DAY, -5, List.of(), true))
        .hasMessageContaining("-5.0");
  }

  @Test
  void requestsPerMinutePerTenantAreLimitedAndRefill() {
    Router r = router(route().limit(RateLimit.requestsPerMinute(LimitScope.TENANT, 3)).build()).build();
    RouteRequest acme = RouteRequest.builder("bot", ChatRequest.of("x")).tenant("acme").build();
    for (int i = 0; i < 3; i++) {
      r.chat(acme);
    }
    int calls = primary.calls();

    assertThatThrownBy(() -> r.chat(acme)).isInstanceOfSatisfying(RateLimitedException.class, e -> {
      assertThat(e.getMessage()).contains("route 'bot'", "3 requests", "tenant");
      assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20)));
    });
    assertThat(primary.calls()).isEqualTo(calls); // refused before any model call
    r.chat(RouteRequest.builder("bot", ChatRequest.of("x")).tenant("globex").build()); // another tenant: own bucket
    time.advance(Duration.ofSeconds(21));
    r.chat(acme);
  }

  @Test
  void tokensPerMinuteAreSettledWithTheReportedUsage() {
    primary.usage = TokenUsage.of(1000, 4000); // 5,000 tokens, far more than the estimate taken up front
    Router r = router(route().limit(RateLimit.tokensPerMinute(LimitScope.ROUTE, 6000)).build()).build();
    r.chat(call("short"));
    r.chat(call("short")); // the bucket still covers the small estimate, and goes into debt afterwards

    assertThatThrownBy(() -> r.chat(call("short"))).isInstanceOf(RateLimitedException.class);
    time.advance(Duration.ofSeconds(45)); // 4,500 tokens back: out of the 4,000 debt
    r.chat(call("short"));
  }

  @Test
  void budgetsAlertOnceAtEachThresholdAndStopHard() {
    List<BudgetAlert> alerts = new CopyOnWriteArrayList<>();
    // each call costs 0.002; a 0.01 daily budget allows 5
    Router r = router(route().budget(Budget.dailyHardLimit(0.01)).build()).budgetListener(alerts::add).build();
    for (int i = 0; i < 5; i++) {
      r.chat(call("x"));
    }
    assertThat(alerts).extracting(BudgetAlert::fraction).containsExactly(0.5, 0.8, 1.0);

    assertThatThrownBy(() -> r.chat(call("x"))).isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("day budget of 0.01");
    time.advance(Duration.ofDays(1));
    assertThat(r.chat(call("x")).text()).isNotEmpty(); // a new day
    assertThat(alerts).hasSize(3);
  }

  @Test
  void aDeploymentARouteUsesCannotBeRetired() {
    Router r = router(route().build()).build();
    r.moveDeployment("primary", LifecycleStage.DEPRECATED);
    assertThat(r.chat(call("x")).deployment()).isEqualTo("primary"); // deprecated still serves (with a warning)

    assertThatThrownBy(() -> r.moveDeployment("primary", LifecycleStage.RETIRED))
        .isInstanceOf(ConflictException.class).hasMessageContaining("route(s) [bot] still use it");
    assertThatThrownBy(() -> r.moveDeployment("primary", LifecycleStage.STAGING))
        .isInstanceOf(ConflictException.class).hasMessageContaining("cannot move from DEPRECATED to STAGING");

    r.updateSplits("bot", List.of(new Split("v2", 1)));
    r.moveDeployment("primary", LifecycleStage.RETIRED);
    assertThat(r.stage("primary")).isEqualTo(LifecycleStage.RETIRED);
    assertThatThrownBy(() -> r.addRelease(Release.builder("v9").deployments("primary").build()))
        .isInstanceOf(ConflictException.class).hasMessageContaining("retired deployment 'primary'");
  }

  @Test
  void aClockThatStepsBackNeitherFailsCallsNorRewindsWindows() {
    Router r = router(route().limit(RateLimit.requestsPerMinute(LimitScope.ROUTE, 2)).build()).build();
    r.chat(call("x"));
    time.stepClockBack(Duration.ofMinutes(10));
    r.chat(call("x"));
    assertThatThrownBy(() -> r.chat(call("x"))).isInstanceOf(RateLimitedException.class); // no refill from the jump
  }

  @Test
  void concurrentCanariesAndExperimentsOnOneRouteConflict() {
    Router r = router(route().build()).build();
    r.startCanary("bot", "v2", CanaryPlan.builder().build(), "ana");
    assertThatThrownBy(() -> r.startCanary("bot", "v2", CanaryPlan.builder().build(), "bo"))
        .isInstanceOf(ConflictException.class).hasMessageContaining("already runs a canary of 'v2'");
    assertThatThrownBy(() -> r.startExperiment(Experiment.builder("e1", "bot").arm("v1", 1).arm("v2", 1).build()))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> r.updateSplits("bot", List.of(new Split("v2", 1))))
        .isInstanceOf(ConflictException.class).hasMessageContaining("finish it before changing the splits");
  }

  @Test
  void manualCanaryDecisionsAreAuditedAndRollbackSendsEverythingBack() {
    List<CanaryEvent> audit = new CopyOnWriteArrayList<>();
    Router r = router(route().build()).listener(new RouterListener() {
      @Override
      public void onCanaryEvent(CanaryEvent event) {
        audit.add(event);
      }
    }).build();
    Canary canary = r.startCanary("bot", "v2", CanaryPlan.builder().build(), "ana");
    assertThat(r.currentSplit("bot")).containsEntry("v2", 1.0).containsEntry("v1", 99.0);

    canary.pause("bo", "waiting for legal");
    assertThat(canary.evaluate().action()).isEqualTo(CanaryAction.PAUSE); // paused: no analysis
    canary.resume("bo", "legal ok");
    canary.promote("bo", "manual");
    assertThat(r.currentSplit("bot")).containsEntry("v2", 5.0);
    canary.rollback("bo", "customer complaint");

    assertThat(r.currentSplit("bot")).containsOnlyKeys("v1").containsEntry("v1", 100.0);
    assertThat(canary.state()).isEqualTo(CanaryState.ROLLED_BACK);
    assertThat(audit).extracting(CanaryEvent::action).containsExactly(CanaryAction.START, CanaryAction.PAUSE,
        CanaryAction.RESUME, CanaryAction.PROMOTE, CanaryAction.ROLLBACK);
    assertThat(audit.get(4).actor()).isEqualTo("bo");
    assertThat(audit.get(4).fromPercent()).isEqualTo(5.0);
    assertThat(audit.get(4).toPercent()).isEqualTo(0.0);
    assertThatThrownBy(() -> canary.promote("bo", "again")).isInstanceOf(ConflictException.class)
        .hasMessageContaining("ROLLED_BACK");
    assertThat(r.canary("bot")).isEmpty();
  }

  @Test
  void anExperimentReportsSignificanceForAClearDifference() {
    List<Exposure> exposures = new CopyOnWriteArrayList<>();
    backup.latency = Duration.ofMillis(300);
    Router r = router(route().retry(RetryPolicy.NONE).build()).listener(new RouterListener() {
      @Override
      public void onExposure(Exposure exposure) {
        exposures.add(exposure);
      }
    }).build();
    r.startExperiment(Experiment.builder("latency-test", "bot").arm("v1", 1).arm("v2", 1).build());
    for (int u = 0; u < 400; u++) {
      RoutedResponse answer = r.chat(RouteRequest.builder("bot", ChatRequest.of("q")).unit("u" + u).build());
      r.recordQuality(answer.requestId(), answer.release().name().equals("v2") ? 0.9 + (u % 3) * 0.01 : 0.7 + (u % 3) * 0.01);
    }
    ExperimentReport report = r.stopExperiment("latency-test");

    assertThat(exposures).hasSize(400);
    assertThat(report.arms()).extracting(ArmSummary::arm).containsExactly("v1", "v2");
    MetricComparison quality = report.comparisons().stream().filter(c -> c.metric() == Metric.QUALITY).findFirst().orElseThrow();
    assertThat(quality.difference()).isCloseTo(0.2, within(0.002));
    assertThat(quality.significant()).isTrue();
    assertThat(quality.pValue()).isLessThan(1e-12);
    assertThat(quality.lower()).isLessThan(quality.difference()).isGreaterThan(0.19);
    assertThat(quality.upper()).isGreaterThan(quality.difference()).isLessThan(0.21);
    MetricComparison latency = report.comparisons().stream().filter(c -> c.metric() == Metric.LATENCY).findFirst().orElseThrow();
    assertThat(latency.difference()).isCloseTo(200, within(1e-6));
    assertThat(r.currentSplit("bot")).containsOnlyKeys("v1"); // back to the route's own split
  }

  @Test
  void theCacheServesRepeatsWithinATenantAtNoCostAndNeverAcrossTenants() {
    ResponseCache cache = ResponseCache.builder().ticker(time).meterRegistry(meters).build();
    Router r = router(route().build()).cache(cache).build(); // release v1 pins temperature 0: deterministic
    RouteRequest acme = RouteRequest.builder("bot", ChatRequest.of("refund policy?")).tenant("acme").build();

    RoutedResponse first = r.chat(acme);
    RoutedResponse again = r.chat(acme);
    RoutedResponse other = r.chat(RouteRequest.builder("bot", ChatRequest.of("refund policy?")).tenant("globex").build());
    StringBuilder streamed = new StringBuilder();
    RoutedResponse streamedAgain = r.stream(acme, streamed::append);

    assertThat(first.cached()).isFalse();
    assertThat(again.cacheHit()).isEqualTo("exact");
    assertThat(again.cost()).isZero();
    assertThat(again.text()).isEqualTo(first.text());
    assertThat(other.cached()).isFalse();
    assertThat(streamedAgain.cached()).isTrue();
    assertThat(streamed).hasToString(first.text());
    assertThat(primary.calls()).isEqualTo(2);
    assertThat(cache.stats().savedCost()).isCloseTo(2 * first.cost(), within(1e-12));
  }

  @Test
  void sampledRequestsBypassTheCache() {
    ResponseCache cache = ResponseCache.builder().ticker(time).meterRegistry(meters).build();
    Router r = router(Route.builder("bot").release("v2", 1).build()).cache(cache).build(); // v2 pins nothing
    RouteRequest sampled = RouteRequest.of("bot", ChatRequest.builder().user("a poem").temperature(0.9).build());
    r.chat(sampled);
    assertThat(r.chat(sampled).cached()).isFalse();
    assertThat(backup.calls()).isEqualTo(2);
  }

  @Test
  void everyCallThatReachesAReleaseIsReportedOnceWithItsOutcome() {
    List<CallRecord> calls = new CopyOnWriteArrayList<>();
    ResponseCache cache = ResponseCache.builder().ticker(time).meterRegistry(meters).build();
    Router r = router(route().retry(RetryPolicy.NONE).limit(RateLimit.requestsPerMinute(LimitScope.ROUTE, 4)).build())
        .cache(cache).listener(new RouterListener() {
          @Override
          public void onCall(CallRecord call) {
            calls.add(call);
          }
        }).build();
    primary.thenFail(() -> new UnavailableException("503"));
    RoutedResponse answered = r.chat(call("one")); // primary fails, backup answers
    r.chat(call("one")); // cached
    primary.alwaysFail = () -> new UnavailableException("down");
    backup.alwaysFail = () -> new UnavailableException("down");
    assertThatThrownBy(() -> r.chat(call("two"))).isInstanceOf(UnavailableException.class);
    r.chat(call("one")); // still cached
    assertThatThrownBy(() -> r.chat(call("three"))).isInstanceOf(RateLimitedException.class); // not reported

    assertThat(calls).extracting(CallRecord::outcome).containsExactly(CallRecord.Outcome.ANSWERED,
        CallRecord.Outcome.CACHED, CallRecord.Outcome.FAILED, CallRecord.Outcome.CACHED);
    CallRecord first = calls.get(0);
    assertThat(first.requestId()).isEqualTo(answered.requestId());
    assertThat(first.deployment()).isEqualTo("backup");
    assertThat(first.tries()).isEqualTo(2);
    assertThat(first.failedTries()).isEqualTo(1);
    assertThat(first.cost()).isEqualTo(answered.cost());
    assertThat(calls.get(2).errorClass()).isEqualTo(ErrorClass.UNAVAILABLE);
    assertThat(calls.get(2).deployment()).isEqualTo("backup");
  }

  @Test
  void aPinnedReleaseAnswersWhateverTheSplitAndFeedsNoCanary() {
    Router r = router(route().build()).build();
    Canary canary = r.startCanary("bot", "v2", CanaryPlan.builder().step(50, Duration.ZERO, 5)
        .evaluationInterval(Duration.ofMillis(1)).inconclusiveAfter(Duration.ofMillis(1)).build(), "ana");

    RoutedResponse pinned = r.chatWithRelease("v2", RouteRequest.builder("bot", ChatRequest.of("x")).unit("u1").build());

    assertThat(pinned.release().name()).isEqualTo("v2");
    assertThat(pinned.arm()).isEqualTo("pinned");
    assertThat(canary.evaluate().evidence()).filteredOn(e -> e.metric() == Metric.ERROR_RATE)
        .extracting(MetricEvidence::canarySamples).containsExactly(0L);
    assertThatThrownBy(() -> r.chatWithRelease("v9", call("x"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void severalListenersHearEveryCallAndAFailingOneDoesNotSilenceTheOthers() {
    List<String> heard = new CopyOnWriteArrayList<>();
    RouterListener failing = new RouterListener() {
      @Override
      public void onCall(CallRecord call) {
        heard.add("failing");
        throw new IllegalStateException("listener bug");
      }
    };
    RouterListener counting = new RouterListener() {
      @Override
      public void onCall(CallRecord call) {
        heard.add("counting:" + call.outcome());
      }
    };
    Router r = router(route().build()).listener(RouterListener.all(failing, counting)).build();

    assertThat(r.chat(call("x")).text()).isEqualTo("answer from primary");
    assertThat(heard).containsExactly("failing", "counting:ANSWERED");
  }

  @Test
  void aCallRefusedByABudgetOrALaterLimitTakesNothingFromTheOtherLimits() {
    // 0.002 per call: after 5 calls the 0.01 budget is spent; the request limit of 6 must not shrink by refusals
    Router r = router(route().limit(RateLimit.requestsPerMinute(LimitScope.ROUTE, 6))
        .limit(RateLimit.requestsPerMinute(LimitScope.TENANT, 2)).budget(Budget.dailyHardLimit(0.01)).build()).build();
    RouteRequest acme = RouteRequest.builder("bot", ChatRequest.of("x")).tenant("acme").build();
    r.chat(acme);
    r.chat(acme);
    for (int i = 0; i < 10; i++) { // refused by the tenant limit: the route limit gives the unit back each time
      assertThatThrownBy(() -> r.chat(acme)).isInstanceOf(RateLimitedException.class);
    }
    for (int t = 0; t < 3; t++) {
      r.chat(RouteRequest.builder("bot", ChatRequest.of("x")).tenant("t" + t).build());
    }
    assertThat(primary.calls()).isEqualTo(5); // the route's 6th unit is still there, but the budget is spent:
    assertThatThrownBy(() -> r.chat(RouteRequest.builder("bot", ChatRequest.of("x")).tenant("t9").build()))
        .isInstanceOf(QuotaExceededException.class);
    time.advance(Duration.ofDays(1));
    r.chat(RouteRequest.builder("bot", ChatRequest.of("x")).tenant("t9").build()); // ...and nothing else was taken
  }

  @Test
  void aLimitStoreThatFailsAfterTheAnswerDoesNotLoseTheAnswer() {
    LimitStore flaky = new LimitStore() {
      private final LimitStore inner = LimitStore.inMemory();

      @Override
      public Acquisition tryAcquire(String key, double capacity, double refillPerSecond, double amount, java.time.Instant now) {
        return inner.tryAcquire(key, capacity, refillPerSecond, amount, now);
      }

      @Override
      public void settle(String key, double capacity, double refillPerSecond, double delta, java.time.Instant now) {
        throw new UnavailableException("database went away");
      }

      @Override
      public SpendChange addSpend(String key, java.time.Instant periodStart, double amount) {
        throw new UnavailableException("database went away");
      }

      @Override
      public double spent(String key, java.time.Instant periodStart) {
        return 0;
      }
    };
    Router r = router(route().limit(RateLimit.tokensPerMinute(LimitScope.ROUTE, 100_000))
        .budget(Budget.dailyHardLimit(10)).build()).limitStore(flaky).build();

    assertThat(r.chat(call("x")).text()).isEqualTo("answer from primary"); // paid for: returned, not thrown away
  }

  @Test
  void aStreamListenerThatThrowsIsTheCallersFailureNotTheDeployments() {
    CircuitBreakerSettings breaker = new CircuitBreakerSettings(0.5, 2, Duration.ofSeconds(60), Duration.ofSeconds(30), 1);
    Router r = router(route().build()).circuitBreaker(breaker).build();
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> r.stream(call("x"), token -> {
        throw new java.io.UncheckedIOException(new java.io.IOException("client went away"));
      })).isInstanceOf(java.io.UncheckedIOException.class);
    }
    assertThat(r.circuitState("primary")).isEqualTo("CLOSED");
    assertThat(backup.calls()).isZero(); // not failed over either: the caller is gone
  }

  @Test
  void waitingToRetryHoldsNoConcurrencySlot() {
    List<Integer> slotsSeen = new CopyOnWriteArrayList<>();
    primary.thenFail(() -> new RateLimitedException("429", Duration.ofSeconds(1), null));
    Router[] holder = new Router[1];
    Sleeper probing = d -> {
      time.sleep(d);
      // while the first call waits, a second call must still get the deployment (limit 1)
      slotsSeen.add(holder[0].chat(call("inner")).deployment().equals("primary") ? 1 : 0);
    };
    holder[0] = Router.builder().clock(time).ticker(time).sleeper(probing).meterRegistry(meters)
        .deployment(Deployment.builder("primary", primary).maxConcurrency(1).build())
        .deployment(Deployment.builder("backup", backup).build())
        .release(Release.builder("v1").deployments("primary", "backup").build())
        .route(route().build()).build();

    assertThat(holder[0].chat(call("outer")).deployment()).isEqualTo("primary");
    assertThat(slotsSeen).containsExactly(1);
  }

  @Test
  void feedbackForAnUnknownCallIsReportedNotThrown() {
    Router r = router(route().build()).build();
    assertThat(r.recordQuality("no-such-call", 0.5)).isFalse();
    assertThatThrownBy(() -> r.recordQuality(r.chat(call("x")).requestId(), Double.NaN))
        .isInstanceOf(InvalidRequestException.class);
  }
}
