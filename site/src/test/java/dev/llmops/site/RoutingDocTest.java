package dev.llmops.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.routing.Budget;
import dev.llmops.core.routing.Canary;
import dev.llmops.core.routing.CanaryAction;
import dev.llmops.core.routing.CanaryEvent;
import dev.llmops.core.routing.CanaryPlan;
import dev.llmops.core.routing.CanaryState;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.DeploymentStrategy;
import dev.llmops.core.routing.ErrorClass;
import dev.llmops.core.routing.LifecycleStage;
import dev.llmops.core.routing.LimitScope;
import dev.llmops.core.routing.PriceTable;
import dev.llmops.core.routing.RateLimit;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.RetryPolicy;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.RoutedResponse;
import dev.llmops.core.routing.Router;
import dev.llmops.core.routing.RouterListener;
import dev.llmops.core.routing.simulation.RouteSimulation;
import dev.llmops.core.routing.simulation.SimulatedClock;
import dev.llmops.core.routing.simulation.SimulatedModel;
import dev.llmops.core.routing.simulation.SimulationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of site/src/docs/routing.md, run on simulated deployments and simulated time. */
class RoutingDocTest {

  private final SimulatedClock time = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SimulatedModel openAi = new SimulatedModel("gpt-4o-mini", 0.0, 700, 1800, 600, 200, time, 1);
  private final SimulatedModel openAiNew = new SimulatedModel("gpt-4.1-mini", 0.0, 650, 1600, 600, 200, time, 2);
  private final SimulatedModel local = new SimulatedModel("llama-8b", 0.0, 300, 900, 600, 200, time, 3);

  @Test
  void routerInCode() {
    String userId = "user-42";
    // tag::router[]
    Router router = Router.builder()
        .deployment(Deployment.builder("gpt-4o-mini@openai", openAi)
            .version("gpt-4o-mini-2024-07-18").prices(new PriceTable(0.15, 0.075, 0.60)).maxConcurrency(64).build())
        .deployment(Deployment.builder("gpt-4.1-mini@openai", openAiNew).prices(PriceTable.of(0.40, 1.60)).build())
        .deployment(Deployment.builder("llama-8b@vllm", local).build())
        .release(Release.builder("support-v7")
            .deployments("gpt-4o-mini@openai", "llama-8b@vllm")      // primary, then failover
            .strategy(DeploymentStrategy.IN_ORDER)
            .prompt("support-answer@7")
            .build())
        .release(Release.builder("support-v8").deployments("gpt-4.1-mini@openai").prompt("support-answer@8").build())
        .route(Route.builder("support-bot")
            .release("support-v7", 1)
            .retry(RetryPolicy.DEFAULT)                               // 2 tries per deployment, Retry-After honoured
            .fallback(ErrorClass.CONTEXT_TOO_LONG, "gpt-4.1-mini@openai")
            .limit(RateLimit.requestsPerMinute(LimitScope.TENANT, 600))
            .budget(Budget.dailyHardLimit(200.0))
            .build())
        .clock(time).ticker(time).sleeper(time)                     // leave these out in production
        .build();
    RoutedResponse answer = router.chat(RouteRequest.builder("support-bot", ChatRequest.of("Where is my order?"))
        .unit(userId).tenant("acme").build());
    System.out.println(answer.release().name() + " via " + answer.deployment() + " cost " + answer.cost());
    // end::router[]
    assertThat(answer.release().name()).isEqualTo("support-v7");
    assertThat(answer.deployment()).isEqualTo("gpt-4o-mini@openai");
    assertThat(answer.cost()).isEqualTo((600 * 0.15 + 200 * 0.60) / 1e6);

    // tag::lifecycle[]
    router.moveDeployment("llama-8b@vllm", LifecycleStage.DEPRECATED);   // still serves; a warning per route
    // end::lifecycle[]
    assertThat(router.stage("llama-8b@vllm")).isEqualTo(LifecycleStage.DEPRECATED);

    List<CanaryEvent> audit = new ArrayList<>();
    Router observed = Router.builder()
        .deployment(Deployment.builder("gpt-4o-mini@openai", openAi).build())
        .deployment(Deployment.builder("gpt-4.1-mini@openai", openAiNew).build())
        .release(Release.builder("support-v7").deployments("gpt-4o-mini@openai").build())
        .release(Release.builder("support-v8").deployments("gpt-4.1-mini@openai").build())
        .route(Route.builder("support-bot").release("support-v7", 1).build())
        .listener(new RouterListener() {
          @Override
          public void onCanaryEvent(CanaryEvent event) {
            audit.add(event);
          }
        })
        .clock(time).ticker(time).sleeper(time)
        .build();
    // tag::canary[]
    CanaryPlan plan = CanaryPlan.builder()
        .step(5, Duration.ofMinutes(5), 200)          // 5% until 5 minutes and 200 canary calls have passed
        .step(25, Duration.ofMinutes(5), 200)
        .step(50, Duration.ofMinutes(5), 200)
        .maxErrorRateIncrease(0.01)                    // at most 1 point more errors
        .maxLatencyRatio(1.25)                         // p95 at most 25% slower
        .maxQualityDrop(0.05)                          // scores fed with router.recordQuality(requestId, score)
        .confidence(0.99)
        .evaluationInterval(Duration.ofSeconds(30))
        .inconclusiveAfter(Duration.ofHours(1))        // then PAUSE for a person
        .build();
    Canary canary = observed.startCanary("support-bot", "support-v8", plan, "alice");
    // ... traffic flows; every decision reaches RouterListener.onCanaryEvent with its evidence ...
    canary.pause("bob", "holiday freeze");
    canary.resume("bob", "freeze over");               // the step's window starts again
    canary.rollback("bob", "customer complaints");     // all traffic back to support-v7 at once
    // end::canary[]
    assertThat(canary.state()).isEqualTo(CanaryState.ROLLED_BACK);
    assertThat(audit).extracting(CanaryEvent::action).containsExactly(CanaryAction.START, CanaryAction.PAUSE,
        CanaryAction.RESUME, CanaryAction.ROLLBACK);
    assertThat(observed.currentSplit("support-bot")).isEqualTo(Map.of("support-v7", 100.0));
  }

  @Test
  void simulation() throws IOException {
    Path file = DocumentationSnippetsTest.root().resolve("samples/route-scenarios/canary-error-regression.json");
    // tag::simulate[]
    RouteSimulation simulation = RouteSimulation.parse(Files.readString(file), file.getFileName().toString());
    SimulationReport report = simulation.run();                  // the scenario's seed; withSeed(n) for another
    System.out.println(report.finalCanaryState() + " after " + report.canaryRequestsUntilDecision()
        + " canary calls; first rollback: " + report.firstDecision(CanaryAction.ROLLBACK)
        .map(d -> d.event().reason()).orElse("none"));
    Files.writeString(Path.of("target", "canary-error-regression-report.json"), report.toJson());
    // end::simulate[]
    assertThat(report.finalCanaryState()).isEqualTo(CanaryState.ROLLED_BACK);
    assertThat(simulation.run().toJson()).isEqualTo(report.toJson());
    assertThat(simulation.withSeed(11).run().toJson()).isNotEqualTo(report.toJson());
  }
}
