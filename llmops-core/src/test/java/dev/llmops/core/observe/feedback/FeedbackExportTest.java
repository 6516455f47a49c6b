package dev.llmops.core.observe.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.observe.ContentPolicy;
import dev.llmops.core.observe.LineageRecord;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackExportTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final UnaryOperator<String> MASK_EMAILS = t -> t.replaceAll("[\\w.]+@[\\w.]+", "<EMAIL>");

  private final Map<String, LineageRecord> lineage = Map.of(
      "req-1", LineageRecord.builder("req-1", T0).release("support-v8").prompt("support-answer@8")
          .answer("My mail is ana@example.com, when can I get a refund?", "Within 14 days.",
              ContentPolicy.on(UnaryOperator.identity())).build(),
      "req-2", LineageRecord.builder("req-2", T0).release("support-v7").prompt("support-answer@7")
          .answer("What is the warranty?", "Two years.", ContentPolicy.off()).build());

  private final FeedbackExport export = FeedbackExport.builder(id -> Optional.ofNullable(lineage.get(id)))
      .redactor(MASK_EMAILS).build();

  @Test
  void eachFeedbackBecomesOneRedactedDatasetRowJoinedWithItsRecord() throws Exception {
    Feedback wrong = Feedback.builder("req-1", "reviewer-7").id("fb-1").time(T0).score(0).label("wrong")
        .comment("reply to ana@example.com").correction("Within 30 days.").build();
    Feedback liked = Feedback.builder("req-1", "user-3").id("fb-2").time(T0).score(1).build();
    Feedback noContent = Feedback.builder("req-2", "user-3").id("fb-3").time(T0).score(1).build();
    Feedback noRecord = Feedback.builder("req-404", "user-3").id("fb-4").time(T0).score(1).build();
    StringWriter out = new StringWriter();

    ExportSummary summary = export.write(List.of(wrong, liked, noContent, noRecord), out);

    assertThat(summary).isEqualTo(new ExportSummary(2, 1, 1));
    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines[0]);
    assertThat(iterable(first.fieldNames())).containsExactly("id", "request_id", "input", "output", "expected",
        "score", "label", "comment", "release", "prompt_version", "time");
    assertThat(first.get("id").asText()).isEqualTo("fb-1");
    assertThat(first.get("input").asText()).isEqualTo("My mail is <EMAIL>, when can I get a refund?");
    assertThat(first.get("output").asText()).isEqualTo("Within 14 days.");
    assertThat(first.get("expected").asText()).isEqualTo("Within 30 days.");
    assertThat(first.get("score").asDouble()).isZero();
    assertThat(first.get("label").asText()).isEqualTo("wrong");
    assertThat(first.get("comment").asText()).isEqualTo("reply to <EMAIL>");
    assertThat(first.get("release").asText()).isEqualTo("support-v8");
    assertThat(first.get("prompt_version").asText()).isEqualTo("support-answer@8");
    assertThat(first.get("time").asText()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(lines[0]).doesNotContain("ana@example.com").doesNotContain("reviewer-7");

    JsonNode second = JSON.readTree(lines[1]);
    assertThat(second.has("expected")).isFalse();
    assertThat(second.get("label").isNull()).isTrue();
    assertThat(second.get("comment").isNull()).isTrue();
    assertThat(second.get("score").asDouble()).isEqualTo(1);
  }

  @Test
  void writingAFileReplacesItWhole(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("out/feedback.jsonl");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "old line 1\nold line 2\nold line 3\n");
    Feedback f = Feedback.builder("req-1", "a").id("fb-1").time(T0).label("ok").build();

    assertThat(export.write(List.of(f), file).written()).isEqualTo(1);

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(1);
    assertThat(JSON.readTree(lines.get(0)).get("id").asText()).isEqualTo("fb-1");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void aRedactorIsRequiredAndMustReturnText() {
    assertThatThrownBy(() -> FeedbackExport.builder(id -> Optional.empty()).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("UnaryOperator.identity()");
    FeedbackExport broken = FeedbackExport.builder(id -> Optional.ofNullable(lineage.get(id))).redactor(t -> null)
        .build();
    Feedback f = Feedback.builder("req-1", "a").id("fb-9").time(T0).label("ok").build();
    assertThatThrownBy(() -> broken.write(List.of(f), new StringWriter()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("fb-9");
  }

  @Test
  void feedbackValidationNamesTheBadValue() {
    assertThatThrownBy(() -> Feedback.builder("req-1", "a").build()).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("carries nothing");
    assertThatThrownBy(() -> Feedback.builder(" ", "a").score(1).build()).hasMessageContaining("requestId");
    assertThatThrownBy(() -> Feedback.builder("r", "a").score(Double.NaN).build()).hasMessageContaining("NaN");
    assertThatThrownBy(() -> Feedback.builder("r", "a").comment("x".repeat(10_001)).build())
        .hasMessageContaining("10001 characters");
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }
}
