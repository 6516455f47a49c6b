package dev.llmops.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.observe.ContentPolicy;
import dev.llmops.core.observe.LineageRecord;
import dev.llmops.core.observe.cost.CostScope;
import dev.llmops.core.observe.cost.CostThreshold;
import dev.llmops.core.observe.cost.CostTracker;
import dev.llmops.core.observe.cost.PriceTables;
import dev.llmops.core.observe.drift.DriftEvent;
import dev.llmops.core.observe.drift.DriftMetric;
import dev.llmops.core.observe.drift.DriftMonitor;
import dev.llmops.core.observe.drift.DriftSample;
import dev.llmops.core.observe.feedback.ExportSummary;
import dev.llmops.core.observe.feedback.Feedback;
import dev.llmops.core.observe.feedback.FeedbackExport;
import dev.llmops.core.observe.feedback.FeedbackStore;
import dev.llmops.core.observe.metrics.LlmOpsObservations;
import dev.llmops.core.observe.metrics.PipelineStage;
import dev.llmops.core.observe.metrics.RequestTags;
import dev.llmops.core.observe.metrics.RouterMetrics;
import dev.llmops.core.observe.metrics.StageOutcome;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.PriceTable;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.RoutedResponse;
import dev.llmops.core.routing.Router;
import dev.llmops.core.routing.simulation.SimulatedClock;
import dev.llmops.core.routing.simulation.SimulatedModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drift, feedback, metrics and cost examples of site/src/docs/observability.md. */
class MonitoringDocTest {

  private final SimulatedClock time = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));

  @TempDir Path dir;

  /** One request as the application sees it. */
  private record Request(float[] embedding, boolean blocked, Double groundedFraction, Integer answerLength) {}

  @Test
  void drift() {
    List<DriftEvent> alerts = new ArrayList<>();
    Random random = new Random(3);
    List<Request> traffic = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {   // the block rate goes from 3% to 15% after 500 requests
      boolean blocked = random.nextDouble() < (i < 500 ? 0.03 : 0.15);
      float[] embedding = {(float) random.nextGaussian(), (float) random.nextGaussian(), 1};
      traffic.add(new Request(embedding, blocked, blocked ? null : 0.9, blocked ? null : 300 + random.nextInt(50)));
    }
    // tag::drift[]
    DriftMonitor monitor = DriftMonitor.builder()
        .window(500)                          // the first 500 requests are the reference, then windows of 500
        .clusters(10).psiThreshold(0.2)       // input drift: PSI of the reference's k-means clusters
        .alpha(0.01)                          // and a chi-square test, both must agree
        .clock(time)
        .listener(event -> alerts.add(event)) // DriftEvent(metric, statistic, threshold, pValue, sizes, time)
        .build();
    for (Request r : traffic) {               // each part may be null: that metric skips the sample
      monitor.record(new DriftSample(r.embedding(), r.blocked(), r.groundedFraction(), r.answerLength()));
    }
    // end::drift[]
    assertThat(alerts).extracting(DriftEvent::metric).containsExactly(DriftMetric.GUARD_BLOCK_RATE);
    assertThat(monitor.lastChecks()).extracting(c -> c.metric()).containsExactly(DriftMetric.INPUT_EMBEDDING,
        DriftMetric.GUARD_BLOCK_RATE, DriftMetric.GROUNDED_FRACTION, DriftMetric.ANSWER_LENGTH);
  }

  @Test
  void feedback() {
    Map<String, LineageRecord> lineage = Map.of("req-1", LineageRecord.builder("req-1", time.instant())
        .release("support-v8").prompt("support-answer@8")
        .answer("Refund for ana@example.com?", "Within 14 days.", ContentPolicy.on(UnaryOperator.identity())).build());
    Path file = dir.resolve("feedback.jsonl");
    // tag::feedback[]
    FeedbackStore store = FeedbackStore.inMemory();            // or FeedbackStore.jdbc(dataSource)
    store.add(Feedback.builder("req-1", "reviewer-7").score(0).label("wrong")
        .comment("Policy changed in March").correction("Within 30 days.").build(time));
    FeedbackExport export = FeedbackExport.builder(requestId -> Optional.ofNullable(lineage.get(requestId)))
        .redactor(text -> text.replaceAll("[\\w.]+@[\\w.]+", "<EMAIL>"))   // your PII redaction
        .build();
    ExportSummary summary = export.write(store.forRequest("req-1"), file);
    // end::feedback[]
    assertThat(summary.written()).isEqualTo(1);
    assertThat(file).content().contains("\"input\":\"Refund for <EMAIL>?\"", "\"expected\":\"Within 30 days.\"");
  }

  @Test
  void metricsAndTraces() {
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    SimulatedModel openAi = new SimulatedModel("gpt-4o-mini", 0.0, 700, 1800, 600, 200, time, 1);
    // tag::observations[]
    ObservationRegistry observationRegistry = ObservationRegistry.create();
    observationRegistry.observationConfig()
        .observationHandler(new DefaultMeterObservationHandler(meterRegistry));  // timers; add tracing handlers too
    LlmOpsObservations observations = LlmOpsObservations.create(observationRegistry);
    Router router = Router.builder()
        .deployment(Deployment.builder("gpt-4o-mini", openAi).prices(new PriceTable(0.15, 0.075, 0.6)).build())
        .release(Release.builder("support-v8").deployments("gpt-4o-mini").build())
        .route(Route.builder("support-bot").release("support-v8", 1).build())
        .listener(new RouterMetrics(meterRegistry))           // llmops.call.requests, .latency, .cost, .tokens
        .clock(time).ticker(time).sleeper(time)               // leave these out in production
        .build();
    RequestTags tags = new RequestTags("req-7", "support-bot", "support-v8");
    List<String> chunks = observations.observe(PipelineStage.RETRIEVE, tags, stage -> {
      List<String> found = List.of();                         // retriever.retrieve(query)
      if (found.isEmpty()) {
        stage.outcome(StageOutcome.EMPTY);
      }
      return found;
    });
    RoutedResponse answer = observations.observe(PipelineStage.ROUTE, tags,
        stage -> router.chat(RouteRequest.of("support-bot", ChatRequest.of("Where is my order?"))));
    // end::observations[]
    assertThat(chunks).isEmpty();
    assertThat(answer.text()).isNotNull();
    assertThat(meterRegistry.get("llmops.pipeline.stage").tags("stage", "retrieve", "outcome", "empty").timer()
        .count()).isEqualTo(1);
    assertThat(meterRegistry.get("llmops.call.tokens").tags("type", "input").counter().count()).isEqualTo(600);
  }

  @Test
  void cost() throws Exception {
    List<String> pages = new ArrayList<>();
    Files.writeString(dir.resolve("prices.json"), """
        {
          "gpt-4o-mini": {"input": 0.15, "cached_input": 0.075, "output": 0.6},
          "o3-mini":     {"input": 1.10, "cached_input": 0.55,  "output": 4.4}
        }
        """);
    // tag::cost[]
    PriceTables prices = PriceTables.load(dir.resolve("prices.json"));
    CostTracker costs = CostTracker.builder(prices)
        .threshold(CostThreshold.perQuery(CostScope.ROUTE, 0.01))   // one query over 1 cent, once a day per route
        .threshold(CostThreshold.perDay(CostScope.TENANT, 50))      // a tenant over 50 a day, once a day
        .listener(alert -> pages.add(alert.threshold().kind() + " " + alert.key() + " " + alert.amount()))
        .clock(time)
        .build();
    // 10,000 prompt tokens (8,000 from the provider's cache), 2,000 output tokens (1,500 of them reasoning):
    // 2,000 x 1.10 + 8,000 x 0.55 + 2,000 x 4.4 per million = 0.0154
    double cost = costs.record("support-bot", "acme", "o3-mini", new TokenUsage(10_000, 2_000, 8_000, 1_500), "req-9");
    BigDecimal today = costs.tenantTotal("acme", LocalDate.of(2026, 1, 1));   // 0.015400000
    // end::cost[]
    assertThat(cost).isEqualTo(0.0154);
    assertThat(today).isEqualByComparingTo("0.0154");
    assertThat(pages).containsExactly("PER_QUERY support-bot 0.0154");
  }
}
