package dev.llmops.core.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.observe.LineageRecord.Outcome;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.GenerationParameters;
import dev.llmops.core.routing.PriceTable;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.ResponseCache;
import dev.llmops.core.routing.RetryPolicy;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.RoutedResponse;
import dev.llmops.core.routing.Router;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LineageRecorderTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final AtomicBoolean down = new AtomicBoolean();

  /** Answers "answer to QUESTION", or fails while {@link #down} is set. */
  final ChatModel model = request -> {
    if (down.get()) {
      throw new UnavailableException("model down");
    }
    String question = request.messages().get(request.messages().size() - 1).toString();
    return new ChatResponse("answer to " + question.length(), List.of(), FinishReason.STOP,
        new TokenUsage(1000, 200, 400, 0), "gpt-test-0301", Duration.ofMillis(300), null, null);
  };

  private Router router(List<LineageRecord> records, ContentPolicy content) {
    return Router.builder().clock(clock).meterRegistry(meters)
        .deployment(Deployment.builder("primary", model).prices(PriceTable.of(1.0, 2.0)).version("p-2026-01").build())
        .release(Release.builder("v7").deployments("primary").prompt("support-answer@7").indexSnapshot("s42")
            .guardPolicy("default@3").parameters(GenerationParameters.temperature(0.0).withMaxTokens(50)).build())
        .route(Route.builder("support-bot").release("v7", 1).retry(RetryPolicy.NONE).build())
        .cache(ResponseCache.builder().meterRegistry(meters).build())
        .listener(LineageRecorder.forRouter(records::add, LineageRecordTest.KEY, content))
        .build();
  }

  @Test
  void answeredCachedAndFailedCallsAreRecordedWithTheReleasesVersions() {
    List<LineageRecord> records = new CopyOnWriteArrayList<>();
    Router router = router(records, ContentPolicy.off());
    RouteRequest question = RouteRequest.builder("support-bot", ChatRequest.of("refund policy?"))
        .tenant("acme").unit("user-17").build();

    RoutedResponse answered = router.chat(question);
    RoutedResponse cached = router.chat(question);
    down.set(true);
    assertThatThrownBy(() -> router.chat(RouteRequest.builder("support-bot", ChatRequest.of("other question?"))
        .tenant("acme").unit("user-17").build())).isInstanceOf(UnavailableException.class);

    assertThat(records).extracting(LineageRecord::outcome).containsExactly(Outcome.ANSWERED, Outcome.CACHED, Outcome.FAILED);
    for (LineageRecord r : records) {
      assertThat(r.prompt()).isEqualTo("support-answer@7");
      assertThat(r.release()).isEqualTo("v7");
      assertThat(r.indexSnapshot()).isEqualTo("s42");
      assertThat(r.guardPolicy()).isEqualTo("default@3");
      assertThat(r.route()).isEqualTo("support-bot");
      assertThat(r.tenant()).isEqualTo("acme");
      assertThat(r.userHash()).isEqualTo(Lineage.hashUser("user-17", LineageRecordTest.KEY));
      assertThat(r.attributes()).containsEntry("temperature", "0.0").containsEntry("max_tokens", "50");
      assertThat(r.content()).isNull();
      assertThat(LineageRecord.fromJson(r.toJson())).isEqualTo(r);
      assertThat(r.toJson()).doesNotContain("user-17").doesNotContain("refund");
    }
    LineageRecord a = records.get(0);
    assertThat(a.requestId()).isEqualTo(answered.requestId());
    assertThat(a.deployment()).isEqualTo("primary");
    assertThat(a.modelVersion()).isEqualTo("p-2026-01");
    assertThat(a.usage()).isEqualTo(new TokenUsage(1000, 200, 400, 0));
    assertThat(a.cost()).isEqualTo(answered.cost()).isPositive();
    assertThat(a.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(a.outputHash()).isEqualTo(Lineage.sha256Hex(answered.text()));
    assertThat(a.stageLatencies()).containsEntry("model", Duration.ofMillis(300));

    LineageRecord c = records.get(1);
    assertThat(c.requestId()).isEqualTo(cached.requestId());
    assertThat(c.outputHash()).isEqualTo(a.outputHash());
    assertThat(c.cost()).isZero();
    assertThat(c.stageLatencies()).doesNotContainKey("model");

    LineageRecord f = records.get(2);
    assertThat(f.errorClass()).isEqualTo("UNAVAILABLE");
    assertThat(f.outputHash()).isNull();
    assertThat(f.usage()).isNull();
    // the router does not say which deployment a cached answer came from; the answer names its model
    assertThat(c.deployment()).isNull();
    assertThat(c.modelVersion()).isEqualTo("gpt-test-0301");
    assertThat(LineageDiff.between(a, c).differences()).extracting(LineageDiff.Difference::field)
        .containsExactly("deployment", "model_version", "outcome");
  }

  @Test
  void contentIsCapturedOnlyThroughTheRedactor() {
    List<LineageRecord> records = new CopyOnWriteArrayList<>();
    Router router = router(records, ContentPolicy.on(text -> text.replaceAll("[0-9]", "#")));
    RoutedResponse answer = router.chat(RouteRequest.of("support-bot", ChatRequest.of("refund policy?")));
    assertThat(answer.text()).matches(".*[0-9].*");
    assertThat(records.get(0).content()).isNotNull();
    assertThat(records.get(0).content().answer()).isEqualTo(answer.text().replaceAll("[0-9]", "#"));
    assertThat(records.get(0).content().prompt()).isNull();
    assertThat(records.get(0).userHash()).isNull(); // no unit id given
  }

  @Test
  void aPipelineBuildsItsOwnRecordAroundARoutedAnswer() {
    Router router = router(new CopyOnWriteArrayList<>(), ContentPolicy.off());
    RoutedResponse answer = router.chat(RouteRequest.of("support-bot", ChatRequest.of("refund policy?")));
    LineageRecord r = LineageRecord.builder(answer.requestId(), clock.instant())
        .stage("retrieve", Duration.ofMillis(20))
        .guard(new GuardDecision("injection", "1", GuardDecision.Stage.INPUT, "pass", "pass", 0))
        .routed(answer)
        .chunk(new ChunkRef("c1", "doc3", 0.8))
        .stage("output_guards", Duration.ofMillis(5))
        .build();
    assertThat(r.prompt()).isEqualTo("support-answer@7");
    assertThat(r.stageLatencies().keySet()).containsExactly("retrieve", "model", "output_guards");
    assertThat(r.latency()).isEqualTo(Duration.ofMillis(25).plus(answer.latency()));
    assertThat(r.outcome()).isEqualTo(Outcome.ANSWERED);
  }
}
