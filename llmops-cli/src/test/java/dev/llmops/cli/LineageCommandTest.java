package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.observe.ChunkRef;
import dev.llmops.core.observe.Lineage;
import dev.llmops.core.observe.LineageRecord;
import dev.llmops.core.observe.LineageSink;
import dev.llmops.core.observe.RotationPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmops lineage show} and {@code llmops lineage diff} on files written by the JSON Lines sink. */
class LineageCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private final LineageRecord before = LineageRecord.builder("req-1", Instant.parse("2026-03-01T10:00:00Z"))
      .route("support-bot").release("support-v7").prompt("support-answer@7").indexSnapshot("s41")
      .chunk(new ChunkRef("2", "doc3", 0.9)).chunk(new ChunkRef("1", "doc5", 0.7))
      .outputHash(Lineage.sha256Hex("old")).build();
  private final LineageRecord after = before.toBuilder().prompt("support-answer@8").indexSnapshot("s42")
      .chunk(new ChunkRef("1", "doc9", 0.5)).outputHash(Lineage.sha256Hex("new")).build();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return LlmOpsCommand.commandLine(new LlmOpsCommand(Map.of()), new PrintWriter(out, true),
        new PrintWriter(err, true)).execute(args);
  }

  @BeforeEach
  void writeLineage() {
    LineageRecord later = LineageRecord.builder("req-2", after.time().plusSeconds(60)).route(after.route())
        .release(after.release()).prompt(after.prompt()).indexSnapshot(after.indexSnapshot())
        .chunk(new ChunkRef("1", "doc5", 0.7)).chunk(new ChunkRef("1", "doc9", 0.5)).outputHash(after.outputHash())
        .build();
    try (LineageSink sink = LineageSink.jsonLines(dir, RotationPolicy.bySize(600))) {
      sink.write(List.of(before));
      sink.write(List.of(later));
    }
  }

  @Test
  void showPrintsTheRecordAsOneLineOfJson() {
    assertThat(run("lineage", "show", "--dir", dir.toString(), "--id", "req-1")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).isEqualTo(before.toJson() + System.lineSeparator());
    assertThat(LineageRecord.fromJson(out.toString().strip())).isEqualTo(before);
  }

  @Test
  void diffPrintsEveryDifferenceThenASummary() {
    assertThat(run("lineage", "diff", "--dir", dir.toString(), "req-1", "req-2")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString().lines().toList()).containsExactly(
        "prompt: support-answer@7 -> support-answer@8",
        "index_snapshot: s41 -> s42",
        "chunks: doc3#2 -> (none)",
        "chunks: (none) -> doc9#1",
        "output_hash: " + Lineage.sha256Hex("old") + " -> " + Lineage.sha256Hex("new"),
        "prompt support-answer@7 -> @8; index snapshot s41 -> s42; chunks: -doc3#2, +doc9#1; output "
            + Lineage.sha256Hex("old").substring(0, 12) + " -> " + Lineage.sha256Hex("new").substring(0, 12));
  }

  @Test
  void diffAsJson() throws IOException {
    assertThat(run("lineage", "diff", "--dir", dir.toString(), "--json", "req-1", "req-2")).isEqualTo(ExitCodes.OK);
    JsonNode diff = JSON.readTree(out.toString());
    assertThat(diff.get("a").asText()).isEqualTo("req-1");
    assertThat(diff.get("differences")).hasSize(5);
    assertThat(diff.get("differences").get(0).get("field").asText()).isEqualTo("prompt");
    assertThat(diff.get("differences").get(2).get("after").isNull()).isTrue();
    assertThat(diff.get("description").asText()).startsWith("prompt support-answer@7 -> @8");
  }

  @Test
  void anUnknownIdFailsAndAMissingDirectoryIsABadArgument() throws IOException {
    assertThat(run("lineage", "show", "--dir", dir.toString(), "--id", "req-404")).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("req-404").contains(dir.toString());
    assertThat(out.toString()).isEmpty();
    assertThat(run("lineage", "diff", "--dir", dir.resolve("nope").toString(), "a", "b")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("nope");
  }

  @Test
  void aTornLastLineIsSkippedWithANote() throws IOException {
    Files.writeString(dir.resolve("lineage-20990101-000000-0.jsonl"), "{\"request_id\":\"req-3\",\"ti");
    assertThat(run("lineage", "show", "--dir", dir.toString(), "--id", "req-2")).isEqualTo(ExitCodes.OK);
    assertThat(run("lineage", "show", "--dir", dir.toString(), "--id", "req-3")).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("skipped 1 incomplete last line");
  }
}
