package dev.llmops.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.observe.GuardDecision.Stage;
import dev.llmops.core.observe.LineageDiff.Difference;
import dev.llmops.core.routing.DeploymentStrategy;
import dev.llmops.core.routing.GenerationParameters;
import dev.llmops.core.routing.Release;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LineageDiffTest {

  static LineageRecord.Builder base() {
    return LineageRecord.builder("a", Instant.parse("2026-03-01T10:00:00Z"))
        .route("support-bot").release("support-v7").arm("baseline").prompt("support-answer@7")
        .deployment("gpt-4o-mini").modelVersion("gpt-4o-mini-0718").indexSnapshot("s41")
        .chunk(new ChunkRef("2", "doc3", 0.9)).chunk(new ChunkRef("1", "doc5", 0.7))
        .guardPolicy("default@3")
        .guard(new GuardDecision("injection", "1", Stage.INPUT, "pass", "pass", 0))
        .guard(new GuardDecision("pii", "2", Stage.OUTPUT, "rewrite", "rewrite", 1))
        .attribute("temperature", "0.2")
        .finishReason(FinishReason.STOP).outputHash(Lineage.sha256Hex("old answer"));
  }

  @Test
  void identicalRecordsOfTwoCallsHaveNoDifferences() {
    LineageRecord a = base().build();
    LineageRecord b = a.toBuilder().build();
    LineageRecord other = LineageRecord.builder("b", Instant.parse("2026-03-02T10:00:00Z")).build();
    assertThat(LineageDiff.between(a, b).isEmpty()).isTrue();
    assertThat(LineageDiff.between(a, b).describe()).isEqualTo("no differences");
    // ids, times, cost and latency are not differences of the answer
    LineageRecord later = LineageRecord.builder("other-id", Instant.parse("2026-03-02T10:00:00Z"))
        .route("support-bot").release("support-v7").arm("baseline").prompt("support-answer@7")
        .deployment("gpt-4o-mini").modelVersion("gpt-4o-mini-0718").indexSnapshot("s41")
        .chunk(new ChunkRef("2", "doc3", 0.9)).chunk(new ChunkRef("1", "doc5", 0.7)).guardPolicy("default@3")
        .guard(new GuardDecision("injection", "1", Stage.INPUT, "pass", "pass", 0))
        .guard(new GuardDecision("pii", "2", Stage.OUTPUT, "rewrite", "rewrite", 1))
        .attribute("temperature", "0.2").finishReason(FinishReason.STOP).outputHash(Lineage.sha256Hex("old answer"))
        .cost(0.5).latency(Duration.ofSeconds(3)).tenant("acme").build();
    assertThat(LineageDiff.between(a, later).differences()).isEmpty();
    assertThat(LineageDiff.between(a, other).differences()).isNotEmpty();
  }

  @Test
  void eachKindOfChangeIsDetected() {
    LineageRecord a = base().build();
    assertThat(one(a, a.toBuilder().prompt("support-answer@8").build()))
        .isEqualTo(new Difference("prompt", "support-answer@7", "support-answer@8"));
    assertThat(one(a, a.toBuilder().release("support-v8").build()))
        .isEqualTo(new Difference("release", "support-v7", "support-v8"));
    assertThat(one(a, a.toBuilder().deployment("llama-8b").build()))
        .isEqualTo(new Difference("deployment", "gpt-4o-mini", "llama-8b"));
    assertThat(one(a, a.toBuilder().modelVersion("gpt-4o-mini-0901").build()))
        .isEqualTo(new Difference("model_version", "gpt-4o-mini-0718", "gpt-4o-mini-0901"));
    assertThat(one(a, a.toBuilder().indexSnapshot("s42").build()))
        .isEqualTo(new Difference("index_snapshot", "s41", "s42"));
    assertThat(one(a, a.toBuilder().guardPolicy("default@4").build()))
        .isEqualTo(new Difference("guard_policy", "default@3", "default@4"));
    assertThat(one(a, a.toBuilder().attribute("temperature", "0.7").build()))
        .isEqualTo(new Difference("attributes.temperature", "0.2", "0.7"));
    assertThat(one(a, a.toBuilder().finishReason(FinishReason.LENGTH).build()))
        .isEqualTo(new Difference("finish_reason", "STOP", "LENGTH"));
    assertThat(one(a, a.toBuilder().outputHash(Lineage.sha256Hex("new answer")).build()))
        .isEqualTo(new Difference("output_hash", Lineage.sha256Hex("old answer"), Lineage.sha256Hex("new answer")));
    assertThat(one(a, a.toBuilder().outcome(LineageRecord.Outcome.BLOCKED).build()))
        .isEqualTo(new Difference("outcome", "ANSWERED", "BLOCKED"));
  }

  @Test
  void chunksAddedRemovedRescoredAndReordered() {
    LineageRecord a = base().build();
    LineageRecord b = rebuildChunks(a).chunk(new ChunkRef("1", "doc9", 0.95)).chunk(new ChunkRef("1", "doc5", 0.6))
        .build();
    assertThat(LineageDiff.between(a, b).differences()).containsExactly(
        new Difference("chunks", "doc3#2", null),
        new Difference("chunks", null, "doc9#1"),
        new Difference("chunks[doc5#1].score", "0.7", "0.6"));
    LineageRecord swapped = rebuildChunks(a).chunk(new ChunkRef("1", "doc5", 0.7)).chunk(new ChunkRef("2", "doc3", 0.9))
        .build();
    assertThat(LineageDiff.between(a, swapped).differences())
        .containsExactly(new Difference("chunks.order", "doc3#2,doc5#1", "doc5#1,doc3#2"));
  }

  @Test
  void guardVerdictsByStageAndGuard() {
    LineageRecord a = base().build();
    LineageRecord b = rebuildGuards(a)
        .guard(new GuardDecision("injection", "1", Stage.INPUT, "pass", "pass", 0))
        .guard(new GuardDecision("pii", "2", Stage.OUTPUT, "pass", "pass", 0))
        .guard(new GuardDecision("grounding", null, Stage.OUTPUT, "block", "monitor", 1))
        .build();
    assertThat(LineageDiff.between(a, b).differences()).containsExactly(
        new Difference("guards[output:pii]", "rewrite, 1 finding, v2", "pass, 0 findings, v2"),
        new Difference("guards[output:grounding]", null, "monitor (block), 1 finding"));
  }

  @Test
  void describeReadsLikeTheChangelog() {
    LineageRecord a = base().build();
    LineageRecord b = rebuildChunks(a.toBuilder().prompt("support-answer@8").indexSnapshot("s42").build())
        .chunk(new ChunkRef("1", "doc5", 0.7)).chunk(new ChunkRef("1", "doc9", 0.5))
        .outputHash(Lineage.sha256Hex("new answer")).build();
    assertThat(LineageDiff.between(a, b).describe()).isEqualTo(
        "prompt support-answer@7 -> @8; index snapshot s41 -> s42; chunks: -doc3#2, +doc9#1; output "
            + Lineage.sha256Hex("old answer").substring(0, 12) + " -> " + Lineage.sha256Hex("new answer").substring(0, 12));
    String json = LineageDiff.between(a, b).toJson("a", "b");
    assertThat(json).startsWith("{\"a\":\"a\",\"b\":\"b\",\"differences\":[{\"field\":\"prompt\",\"before\":\"support-answer@7\","
        + "\"after\":\"support-answer@8\"}");
    assertThat(json).contains("{\"field\":\"chunks\",\"before\":\"doc3#2\",\"after\":null}");
  }

  @Test
  void releasesAreComparedVersionByVersion() {
    Release v7 = Release.builder("support-v7").deployments("gpt-4o-mini", "llama-8b").prompt("support-answer@7")
        .indexSnapshot("s41").guardPolicy("default@3").parameters(GenerationParameters.temperature(0.2)).build();
    Release v8 = Release.builder("support-v8").deployments("gpt-4o-mini").strategy(DeploymentStrategy.values()[1])
        .prompt("support-answer@8").indexSnapshot("s41").guardPolicy("default@4")
        .parameters(GenerationParameters.temperature(0.2).withMaxTokens(400)).build();
    assertThat(LineageDiff.releases(v7, v8).differences()).containsExactly(
        new Difference("release", "support-v7", "support-v8"),
        new Difference("deployments", "gpt-4o-mini,llama-8b", "gpt-4o-mini"),
        new Difference("strategy", DeploymentStrategy.IN_ORDER.name(), DeploymentStrategy.values()[1].name()),
        new Difference("prompt", "support-answer@7", "support-answer@8"),
        new Difference("guard_policy", "default@3", "default@4"),
        new Difference("parameters.max_tokens", null, "400"));
    assertThat(LineageDiff.releases(v7, v7).isEmpty()).isTrue();
  }

  private static Difference one(LineageRecord a, LineageRecord b) {
    LineageDiff diff = LineageDiff.between(a, b);
    assertThat(diff.differences()).hasSize(1);
    return diff.differences().get(0);
  }

  private static LineageRecord.Builder rebuildChunks(LineageRecord r) {
    return new LineageRecord(r.requestId(), r.time(), r.tenant(), r.userHash(), r.route(), r.release(), r.arm(),
        r.prompt(), r.deployment(), r.modelVersion(), r.indexSnapshot(), java.util.List.of(), r.guardPolicy(),
        r.guards(), r.usage(), r.usageEstimated(), r.cost(), r.stageLatencies(), r.latency(), r.finishReason(),
        r.outputHash(), r.toolCalls(), r.steps(), r.outcome(), r.errorClass(), r.content(), r.attributes()).toBuilder();
  }

  private static LineageRecord.Builder rebuildGuards(LineageRecord r) {
    return new LineageRecord(r.requestId(), r.time(), r.tenant(), r.userHash(), r.route(), r.release(), r.arm(),
        r.prompt(), r.deployment(), r.modelVersion(), r.indexSnapshot(), r.chunks(), r.guardPolicy(),
        java.util.List.of(), r.usage(), r.usageEstimated(), r.cost(), r.stageLatencies(), r.latency(), r.finishReason(),
        r.outputHash(), r.toolCalls(), r.steps(), r.outcome(), r.errorClass(), r.content(), r.attributes()).toBuilder();
  }
}
