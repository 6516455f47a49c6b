package dev.llmops.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.observe.AsyncLineageWriter;
import dev.llmops.core.observe.ChunkRef;
import dev.llmops.core.observe.ContentPolicy;
import dev.llmops.core.observe.GuardDecision;
import dev.llmops.core.observe.Lineage;
import dev.llmops.core.observe.LineageDiff;
import dev.llmops.core.observe.LineageReader;
import dev.llmops.core.observe.LineageRecord;
import dev.llmops.core.observe.LineageRecorder;
import dev.llmops.core.observe.LineageSink;
import dev.llmops.core.observe.OverflowPolicy;
import dev.llmops.core.observe.RotationPolicy;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.RoutedResponse;
import dev.llmops.core.routing.Router;
import dev.llmops.core.routing.simulation.SimulatedClock;
import dev.llmops.core.routing.simulation.SimulatedModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of site/src/docs/observability.md. */
class ObservabilityDocTest {

  private final SimulatedClock time = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SimulatedModel openAi = new SimulatedModel("gpt-4o-mini", 0.0, 700, 1800, 600, 200, time, 1);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @TempDir Path dir;

  @Test
  void lineageFromTheRouterAndFromAPipeline() {
    byte[] userHashKey = "a secret of the application, 32+ bytes".getBytes(StandardCharsets.UTF_8);
    // tag::writer[]
    AsyncLineageWriter writer = AsyncLineageWriter.builder(
            LineageSink.jsonLines(dir, RotationPolicy.bySize(64 << 20).withMaxAge(Duration.ofHours(1))))
        .capacity(10_000)                       // records buffered before the overflow policy applies
        .overflow(OverflowPolicy.DROP)          // or BLOCK (back-pressure) or FAIL (UnavailableException)
        .meterRegistry(registry)
        .build();
    Router router = Router.builder()
        .deployment(Deployment.builder("gpt-4o-mini@openai", openAi).version("gpt-4o-mini-2024-07-18").build())
        .release(Release.builder("support-v7").deployments("gpt-4o-mini@openai")
            .prompt("support-answer@7").indexSnapshot("s41").guardPolicy("default@3").build())
        .route(Route.builder("support-bot").release("support-v7", 1).build())
        .listener(LineageRecorder.forRouter(writer, userHashKey))   // one record per answered, cached, failed call
        .clock(time).ticker(time).sleeper(time)                     // leave these out in production
        .build();
    RoutedResponse answer = router.chat(RouteRequest.builder("support-bot", ChatRequest.of("Where is my order?"))
        .unit("user-42").tenant("acme").build());
    // end::writer[]

    // tag::pipeline[]
    ContentPolicy content = ContentPolicy.on(text -> text.replaceAll("[0-9]{6,}", "<number>"));  // your redactor
    LineageRecord record = LineageRecord.builder("pipeline-" + answer.requestId(), time.instant())
        .tenant("acme").userHash(Lineage.hashUser("user-42", userHashKey))
        .guard(new GuardDecision("prompt-injection", "2", GuardDecision.Stage.INPUT, "pass", "pass", 0))
        .stage("input_guards", Duration.ofMillis(4))
        .chunk(new ChunkRef("2", "doc3", 0.83))
        .stage("retrieve", Duration.ofMillis(21))
        .routed(answer)                          // route, release and its versions, model, usage, cost, output hash
        .answer("Where is my order 12345678?", answer.text(), content)
        .attribute("app_version", "1.4.2")
        .build();
    writer.record(record);
    // end::pipeline[]
    writer.close();

    // tag::read[]
    LineageReader reader = LineageReader.jsonLines(dir);
    Optional<LineageRecord> fromRouter = reader.find(answer.requestId());
    try (Stream<LineageRecord> records = reader.records()) {
      long failed = records.filter(r -> r.outcome() == LineageRecord.Outcome.FAILED).count();
    }
    // end::read[]
    assertThat(fromRouter).isPresent();
    assertThat(fromRouter.get().prompt()).isEqualTo("support-answer@7");
    assertThat(reader.find(record.requestId())).contains(record);
    assertThat(record.content().prompt()).isEqualTo("Where is my order <number>?");

    // tag::diff[]
    LineageRecord yesterday = fromRouter.get();
    LineageRecord today = yesterday.toBuilder().prompt("support-answer@8").indexSnapshot("s42").build();
    LineageDiff diff = LineageDiff.between(yesterday, today);
    System.out.println(diff.describe());   // prompt support-answer@7 -> @8; index snapshot s41 -> s42
    // end::diff[]
    assertThat(diff.describe()).isEqualTo("prompt support-answer@7 -> @8; index snapshot s41 -> s42");
    assertThat(LineageDiff.releases(router.release("support-v7"), router.release("support-v7")).isEmpty()).isTrue();
    assertThat(List.of(diff.differences().get(0).field())).containsExactly("prompt");
  }
}
