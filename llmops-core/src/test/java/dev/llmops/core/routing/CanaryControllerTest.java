package dev.llmops.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.chat.ChatRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The canary controller's decisions on scripted traffic; the many-seed properties are in the simulation tests. */
class CanaryControllerTest {

  private final TestTime time = new TestTime();
  private final ScriptModel stable = new ScriptModel("stable", time);
  private final ScriptModel candidate = new ScriptModel("candidate", time);
  private final List<CanaryEvent> audit = new CopyOnWriteArrayList<>();

  private Router router() {
    stable.latency = Duration.ofMillis(200);
    candidate.latency = Duration.ofMillis(200);
    return Router.builder().clock(time).ticker(time).sleeper(time).seed(3).meterRegistry(new SimpleMeterRegistry())
        .listener(new RouterListener() {
          @Override
          public void onCanaryEvent(CanaryEvent event) {
            audit.add(event);
          }
        })
        .deployment(Deployment.builder("stable", stable).build())
        .deployment(Deployment.builder("candidate", candidate).build())
        .release(Release.builder("v1").deployments("stable").build())
        .release(Release.builder("v2").deployments("candidate").build())
        .route(Route.builder("bot").release("v1", 1).retry(RetryPolicy.NONE).build())
        .build();
  }

  private static CanaryPlan.Builder plan() {
    return CanaryPlan.builder().step(10, Duration.ofMinutes(1), 100).step(50, Duration.ofMinutes(1), 100)
        .evaluationInterval(Duration.ofSeconds(10)).inconclusiveAfter(Duration.ofMinutes(30)).maxCostRatio(null);
  }

  /** Sends {@code n} calls from distinct units, one every 100 ms of simulated time; failures are expected. */
  private void traffic(Router r, int n, int offset) {
    for (int i = 0; i < n; i++) {
      time.advance(Duration.ofMillis(100));
      try {
        r.chat(RouteRequest.builder("bot", ChatRequest.of("q")).unit("u" + (offset + i)).build());
      } catch (dev.llmops.core.UnavailableException expected) {
        // the failing side's outages are the point of the test
      }
    }
  }

  @Test
  void aHealthyCanaryIsPromotedStepByStepToAllOfTheTraffic() {
    Router r = router();
    Canary canary = r.startCanary("bot", "v2", plan().build(), "ana");

    traffic(r, 6000, 0);

    assertThat(canary.state()).isEqualTo(CanaryState.COMPLETED);
    assertThat(r.currentSplit("bot")).containsOnlyKeys("v2");
    assertThat(audit).extracting(CanaryEvent::action).containsSubsequence(CanaryAction.START, CanaryAction.PROMOTE,
        CanaryAction.COMPLETE).doesNotContain(CanaryAction.ROLLBACK);
    CanaryEvent complete = audit.get(audit.size() - 1);
    assertThat(complete.evidence()).extracting(MetricEvidence::verdict).containsOnly(MetricEvidence.Verdict.PASS);
    assertThat(complete.fromPercent()).isEqualTo(50.0);
    assertThat(complete.toPercent()).isEqualTo(100.0);
  }

  @Test
  void aCanaryWithMoreErrorsIsRolledBackAtOnceWithItsEvidence() {
    stable.failEvery = 100; // 1%
    candidate.failEvery = 5; // 20%
    Router r = router();
    Canary canary = r.startCanary("bot", "v2", plan().build(), "ana");

    traffic(r, 4000, 0);

    assertThat(canary.state()).isEqualTo(CanaryState.ROLLED_BACK);
    assertThat(r.currentSplit("bot")).containsOnlyKeys("v1").containsEntry("v1", 100.0);
    CanaryEvent rollback = audit.stream().filter(e -> e.action() == CanaryAction.ROLLBACK).findFirst().orElseThrow();
    assertThat(rollback.actor()).isEqualTo("controller");
    assertThat(rollback.step()).isZero();
    assertThat(rollback.reason()).contains("ERROR_RATE");
    MetricEvidence errors = rollback.evidence().stream().filter(e -> e.metric() == Metric.ERROR_RATE).findFirst().orElseThrow();
    assertThat(errors.verdict()).isEqualTo(MetricEvidence.Verdict.BREACH);
    assertThat(errors.canarySamples()).isGreaterThanOrEqualTo(100);
    assertThat(errors.canaryValue()).isCloseTo(0.2, org.assertj.core.api.Assertions.within(0.05));
    assertThat(errors.baselineValue()).isCloseTo(0.01, org.assertj.core.api.Assertions.within(0.01));
    assertThat(errors.pValue()).isLessThan(0.01 / 2); // 1 - confidence, split over the two metrics compared
    assertThat(errors.test()).isEqualTo("mSPRT");
    int callsAfter = candidate.calls();
    traffic(r, 500, 10_000);
    assertThat(candidate.calls()).isEqualTo(callsAfter); // all traffic on the baseline, at once
  }

  @Test
  void aSlowerCanaryIsRolledBackOnLatency() {
    Router r = router();
    candidate.latency = Duration.ofMillis(500); // 2.5 x, beyond the 1.25 allowed
    Canary canary = r.startCanary("bot", "v2", plan().build(), "ana");

    traffic(r, 4000, 0);

    assertThat(canary.state()).isEqualTo(CanaryState.ROLLED_BACK);
    MetricEvidence latency = audit.stream().filter(e -> e.action() == CanaryAction.ROLLBACK).findFirst().orElseThrow()
        .evidence().stream().filter(e -> e.metric() == Metric.LATENCY).findFirst().orElseThrow();
    assertThat(latency.verdict()).isEqualTo(MetricEvidence.Verdict.BREACH);
    assertThat(latency.test()).isEqualTo("Mann-Whitney U");
    assertThat(latency.canaryValue()).isEqualTo(500.0);
    assertThat(latency.baselineValue()).isEqualTo(200.0);
  }

  @Test
  void aQualityDropReportedByCallersRollsBack() {
    Router r = router();
    Canary canary = r.startCanary("bot", "v2", plan().maxQualityDrop(0.05).build(), "ana");
    for (int i = 0; i < 4000 && !canary.state().isFinal(); i++) {
      time.advance(Duration.ofMillis(100));
      RoutedResponse answer = r.chat(RouteRequest.builder("bot", ChatRequest.of("q")).unit("u" + i).build());
      double score = answer.arm().equals("canary") ? 0.6 + (i % 5) * 0.02 : 0.8 + (i % 5) * 0.02;
      r.recordQuality(answer.requestId(), score);
    }
    assertThat(canary.state()).isEqualTo(CanaryState.ROLLED_BACK);
    assertThat(canary.events().get(canary.events().size() - 1).reason()).contains("QUALITY");
  }

  @Test
  void withoutQualityScoresTheCanaryHoldsAndThenPausesRatherThanGuessing() {
    Router r = router();
    Canary canary = r.startCanary("bot", "v2", plan().maxQualityDrop(0.05).build(), "ana");

    traffic(r, 20_000, 0); // 2,000 s of traffic, past the 30 min deadline, and nobody reports quality

    assertThat(canary.state()).isEqualTo(CanaryState.PAUSED);
    assertThat(audit).extracting(CanaryEvent::action).startsWith(CanaryAction.START, CanaryAction.HOLD)
        .endsWith(CanaryAction.PAUSE).containsOnly(CanaryAction.START, CanaryAction.HOLD, CanaryAction.PAUSE);
    CanaryEvent pause = audit.get(audit.size() - 1);
    assertThat(pause.reason()).contains("QUALITY", "waiting for a person");
    assertThat(pause.evidence()).filteredOn(e -> e.metric() == Metric.QUALITY)
        .extracting(MetricEvidence::verdict).containsExactly(MetricEvidence.Verdict.INSUFFICIENT_DATA);
    assertThat(r.currentSplit("bot")).containsEntry("v2", 10.0); // traffic stays where it was
  }

  @Test
  void aDryRunDecidesAndRecordsButNeverMovesTraffic() {
    stable.failEvery = 100;
    candidate.failEvery = 5;
    Router r = router();
    Canary canary = r.startCanary("bot", "v2", plan().dryRun(true).build(), "ana");

    traffic(r, 4000, 0);

    assertThat(canary.state()).isEqualTo(CanaryState.RUNNING);
    assertThat(r.currentSplit("bot")).containsEntry("v2", 10.0).containsEntry("v1", 90.0);
    List<CanaryEvent> rollbacks = audit.stream().filter(e -> e.action() == CanaryAction.ROLLBACK).toList();
    assertThat(rollbacks).hasSize(1); // recorded once, not at every look
    assertThat(rollbacks.get(0).dryRun()).isTrue();
    assertThat(rollbacks.get(0).toPercent()).isEqualTo(10.0);
  }
}
