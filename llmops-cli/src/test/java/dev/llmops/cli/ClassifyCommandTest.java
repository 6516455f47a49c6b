package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmops classify} with a tiny real ONNX classifier built by the test, and with models it must refuse. */
class ClassifyCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path classifier;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @BeforeEach
  void buildClassifier() throws IOException {
    Map<String, List<String>> words = new LinkedHashMap<>();
    words.put("NEGATIVE", List.of("bad", "awful"));
    words.put("POSITIVE", List.of("good", "great"));
    words.put("QUESTION", List.of("why", "how"));
    classifier = TestModels.classifierDirectory(dir.resolve("sentiment"), words);
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return LlmOpsCommand.commandLine(new LlmOpsCommand(Map.of()), new PrintWriter(out, true),
        new PrintWriter(err, true)).execute(args);
  }

  private Path input(String... lines) throws IOException {
    Path file = dir.resolve("texts.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private static String row(Object id, String text) {
    ObjectNode row = JSON.createObjectNode();
    row.set("id", JSON.valueToTree(id));
    return row.put("text", text).toString();
  }

  private static List<JsonNode> jsonLines(String text) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        rows.add(JSON.readTree(line));
      }
    }
    return rows;
  }

  @Test
  void writesTheTopLabelAndEveryScoreBestFirst() throws Exception {
    Path in = input(row("p", "good good"), row(2, "awful"), row("q", "how"));
    Path labels = dir.resolve("labels.jsonl");

    int status = run("classify", "--model", classifier.toString(), "--in", in.toString(), "--out", labels.toString(),
        "--batch", "1");

    assertThat(err.toString()).isEmpty();
    assertThat(status).isEqualTo(ExitCodes.OK);
    List<JsonNode> rows = jsonLines(Files.readString(labels));
    assertThat(rows).extracting(r -> r.path("id").toString()).containsExactly("\"p\"", "2", "\"q\"");
    assertThat(rows).extracting(r -> r.path("label").asText()).containsExactly("POSITIVE", "NEGATIVE", "QUESTION");
    JsonNode positive = rows.get(0);
    // "good good" between [CLS] and [SEP]: a POSITIVE logit of (4 + 4) / 4 = 2, the others 0; softmax(2, 0, 0).
    double expected = Math.exp(2) / (Math.exp(2) + 2);
    assertThat(positive.path("score").asDouble()).isCloseTo(expected, within(1e-5));
    List<String> order = new ArrayList<>();
    positive.path("scores").fieldNames().forEachRemaining(order::add);
    assertThat(order).first().isEqualTo("POSITIVE");
    assertThat(order).containsExactlyInAnyOrder("POSITIVE", "NEGATIVE", "QUESTION");
    assertThat(positive.path("scores").path("POSITIVE").asDouble()).isEqualTo(positive.path("score").asDouble());
    double sum = 0;
    for (JsonNode s : positive.path("scores")) {
      sum += s.asDouble();
    }
    assertThat(sum).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void topKeepsOnlyTheBestLabels() throws Exception {
    Path in = input(row(1, "why so great"));

    assertThat(run("classify", "--model", classifier.toString(), "--in", in.toString(), "--out", "-", "--top", "2"))
        .isZero();

    JsonNode row = jsonLines(out.toString()).get(0);
    List<String> kept = new ArrayList<>();
    row.path("scores").fieldNames().forEachRemaining(kept::add);
    assertThat(kept).hasSize(2).doesNotContain("NEGATIVE");
    assertThat(row.path("scores").path(row.path("label").asText()).asDouble()).isEqualTo(row.path("score").asDouble());
  }

  @Test
  void chunkFindsALabelPastTheFirstWindowThatTruncateMisses() throws Exception {
    Path in = input(row("late", TestModels.filler(300, 3) + " good"));

    assertThat(run("classify", "--model", classifier.toString(), "--in", in.toString(), "--out", "-")).isZero();
    JsonNode truncated = jsonLines(out.toString()).get(0);
    assertThat(truncated.path("scores").path("POSITIVE").asDouble()).isCloseTo(1.0 / 3, within(1e-6));

    assertThat(run("classify", "--model", classifier.toString(), "--in", in.toString(), "--out", "-",
        "--overflow", "chunk")).isZero();
    JsonNode chunked = jsonLines(out.toString()).get(0);
    assertThat(chunked.path("label").asText()).isEqualTo("POSITIVE");
    assertThat(chunked.path("score").asDouble()).isGreaterThan(1.0 / 3);
  }

  @Test
  void badRowsAreReportedAndTheOthersClassified() throws Exception {
    Path in = input(row("a", "good"), row("b", "   "), "{\"id\": \"c\"}", row("d", "bad"));

    assertThat(run("classify", "--model", classifier.toString(), "--in", in.toString(), "--out", "-"))
        .isEqualTo(ExitCodes.FAILED);

    assertThat(jsonLines(out.toString())).extracting(r -> r.path("id").asText() + "=" + r.path("label").asText())
        .containsExactly("a=POSITIVE", "d=NEGATIVE");
    List<String> errors = err.toString().lines().toList();
    assertThat(JSON.readTree(errors.get(0)).path("error").asText()).isEqualTo("\"text\" is blank");
    assertThat(JSON.readTree(errors.get(1)).path("id").asText()).isEqualTo("c");
    assertThat(errors.get(2)).startsWith("llmops: 2 of 4 rows failed");
  }

  @Test
  void refusesAnEmbeddingModelWithAClearMessage() throws Exception {
    Path in = input(row(1, "text"));
    Path miniLm = TestModels.miniLmDirectory(dir.resolve("minilm"));
    Path labels = dir.resolve("labels.jsonl");

    assertThat(run("classify", "--model", miniLm.toString(), "--in", in.toString(), "--out", labels.toString()))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).startsWith("llmops: '" + miniLm + "' is not a sequence classifier llmops can run: ")
        .contains("rank-3 output");
    assertThat(labels).doesNotExist();

    assertThat(run("classify", "--model", "all-minilm-l6-v2-q", "--in", in.toString(), "--out", "-"))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("'all-minilm-l6-v2-q' is not a sequence classifier");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void badArgumentsAndMissingModelsFailClearly() throws Exception {
    Path in = input(row(1, "text"));
    assertThat(run("classify", "--model", classifier.toString(), "--in", in.toString(), "--out", "-", "--top", "0"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--top must be at least 1 but was 0");

    assertThat(run("classify", "--model", dir.resolve("nowhere").toString(), "--in", in.toString(), "--out", "-"))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("nowhere").contains("nor a model directory");

    Files.delete(classifier.resolve("model.onnx"));
    assertThat(run("classify", "--model", classifier.toString(), "--in", in.toString(), "--out", "-"))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("model.onnx").contains("does not exist");
  }
}
