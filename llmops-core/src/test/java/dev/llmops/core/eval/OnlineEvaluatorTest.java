package dev.llmops.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.routing.Canary;
import dev.llmops.core.routing.CanaryAction;
import dev.llmops.core.routing.CanaryEvent;
import dev.llmops.core.routing.CanaryPlan;
import dev.llmops.core.routing.CanaryState;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.RetryPolicy;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.RoutedResponse;
import dev.llmops.core.routing.Router;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OnlineEvaluatorTest {

  private static final List<ContextPassage> POLICY =
      List.of(new ContextPassage("1", "Refunds are paid within five business days of the return arriving."));

  private final EvalFixtures.ManualTime time = new EvalFixtures.ManualTime();

  /**
   * Stable answers are grounded 9 times in 10 (every 10th makes up a voucher); the candidate's are grounded only every
   * {@code candidateGroundedEvery}-th time, or, with 0, as often as the stable ones.
   */
  private Router router(int candidateGroundedEvery) {
    AtomicInteger stableCalls = new AtomicInteger();
    AtomicInteger candidateCalls = new AtomicInteger();
    String grounded = "Refunds are paid within five business days [1].";
    String invented = "You get a free gift voucher and cash back today.";
    return Router.builder().clock(time).ticker(time).sleeper(time).seed(5).meterRegistry(new SimpleMeterRegistry())
        .deployment(Deployment.builder("stable", EvalFixtures.model(r -> {
          time.advance(Duration.ofMillis(200));
          return stableCalls.incrementAndGet() % 10 == 0 ? invented : grounded;
        })).build())
        .deployment(Deployment.builder("candidate", EvalFixtures.model(r -> {
          time.advance(Duration.ofMillis(200));
          int n = candidateCalls.incrementAndGet();
          if (candidateGroundedEvery == 0) {
            return n % 10 == 0 ? invented : grounded;
          }
          return n % candidateGroundedEvery == 0 ? grounded : invented;
        })).build())
        .release(Release.builder("v1").deployments("stable").build())
        .release(Release.builder("v2").deployments("candidate").build())
        .route(Route.builder("bot").release("v1", 1).retry(RetryPolicy.NONE).build())
        .build();
  }

  @Test
  void aCanaryThatTheEvaluatorScoresLowerIsRolledBack() {
    Router router = router(3);
    OnlineEvaluator evaluator = OnlineEvaluator.builder(router).assertion(Assertion.grounded(0.8)).build();
    CanaryPlan plan = CanaryPlan.builder().step(10, Duration.ofMinutes(1), 100).step(50, Duration.ofMinutes(1), 100)
        .evaluationInterval(Duration.ofSeconds(10)).inconclusiveAfter(Duration.ofMinutes(30)).maxCostRatio(null)
        .maxQualityDrop(0.1).build();
    Canary canary = router.startCanary("bot", "v2", plan, "ana");

    int canaryScored = 0;
    for (int i = 0; i < 5000 && !canary.state().isFinal(); i++) {
      time.advance(Duration.ofMillis(100));
      RoutedResponse answer = router.chat(RouteRequest.builder("bot", ChatRequest.of("How long do refunds take?"))
          .unit("user-" + i).build());
      OnlineScore score = evaluator.evaluate(answer, POLICY);
      assertThat(score.recorded()).isTrue();
      if (answer.arm().equals("canary")) {
        canaryScored++;
      }
    }

    assertThat(canary.state()).isEqualTo(CanaryState.ROLLED_BACK);
    CanaryEvent last = canary.events().get(canary.events().size() - 1);
    assertThat(last.action()).isEqualTo(CanaryAction.ROLLBACK);
    assertThat(last.reason()).contains("QUALITY");
    assertThat(canaryScored).isGreaterThanOrEqualTo(100);
    assertThat(router.currentSplit("bot")).containsOnlyKeys("v1");
  }

  @Test
  void anEquallyGoodCanaryIsPromoted() {
    Router router = router(0);
    OnlineEvaluator evaluator = OnlineEvaluator.builder(router).assertion(Assertion.grounded(0.8)).build();
    CanaryPlan plan = CanaryPlan.builder().step(10, Duration.ofMinutes(1), 100)
        .evaluationInterval(Duration.ofSeconds(10)).inconclusiveAfter(Duration.ofMinutes(30)).maxCostRatio(null)
        .maxQualityDrop(0.1).build();
    Canary canary = router.startCanary("bot", "v2", plan, "ana");
    for (int i = 0; i < 5000 && !canary.state().isFinal(); i++) {
      time.advance(Duration.ofMillis(100));
      RoutedResponse answer = router.chat(RouteRequest.builder("bot", ChatRequest.of("q")).unit("user-" + i).build());
      evaluator.evaluate(answer, POLICY);
    }
    assertThat(canary.state()).isEqualTo(CanaryState.COMPLETED);
  }

  @Test
  void scoresAreWeightedMeansOfTheAssertions() {
    Router router = router(3);
    RoutedResponse answer = router.chat(RouteRequest.of("bot", ChatRequest.of("q")));
    OnlineEvaluator evaluator = OnlineEvaluator.builder(router)
        .assertion(Assertion.contains("five"), 3)
        .assertion(Assertion.contains("voucher"), 1)
        .build();

    OnlineScore score = evaluator.evaluate(answer);

    assertThat(score.score()).isEqualTo(0.75);
    assertThat(score.passed()).isFalse();
    assertThat(score.recorded()).isTrue();
    assertThat(score.requestId()).isEqualTo(answer.requestId());
    assertThatThrownBy(() -> OnlineEvaluator.builder(router).assertion(Assertion.isJson(), 0).build())
        .hasMessageContaining("positive weight");
  }
}
