package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.InputHandling;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmops embed} with the real int8 all-MiniLM-L6-v2 model. */
class EmbedCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "all-minilm-l6-v2-q";
  /** About 450 tokens: two windows of the model's 256. */
  private static final String LONG_TEXT = TestModels.filler(400, 7);

  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

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
    com.fasterxml.jackson.databind.node.ObjectNode row = JSON.createObjectNode();
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

  private static float[] vector(JsonNode row) {
    float[] v = new float[row.path("vector").size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) row.path("vector").get(i).asDouble();
    }
    return v;
  }

  @Test
  void embedsEveryRowInInputOrderAndChunksLongTexts() throws Exception {
    Path in = input(row("a", "How do I reset my password?"), row(2, "The invoice was paid twice."),
        row("long", LONG_TEXT));
    Path vectors = dir.resolve("out/vectors.jsonl");

    int status = run("embed", "--model", MODEL, "--in", in.toString(), "--out", vectors.toString(), "--no-progress");

    assertThat(err.toString()).isEmpty();
    assertThat(status).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).isEmpty();
    List<JsonNode> rows = jsonLines(Files.readString(vectors));
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).path("id").isTextual()).isTrue();
    assertThat(rows.get(0).path("id").asText()).isEqualTo("a");
    assertThat(rows.get(1).path("id").isInt()).as("a number id stays a number").isTrue();
    assertThat(rows.get(1).path("id").asInt()).isEqualTo(2);
    assertThat(rows.get(2).path("id").asText()).isEqualTo("long");
    for (JsonNode row : rows) {
      float[] v = vector(row);
      assertThat(v).hasSize(384);
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-4));
    }
    assertThat(rows.get(0).path("handling").asText()).isEqualTo("whole");
    assertThat(rows.get(0).path("chunks").asInt()).isEqualTo(1);
    assertThat(rows.get(0).path("tokens").asInt()).isBetween(5, 20);

    JsonNode chunked = rows.get(2);
    assertThat(chunked.path("handling").asText()).isEqualTo("chunked");
    assertThat(chunked.path("tokens").asInt()).isGreaterThan(256);
    assertThat(chunked.path("chunks").asInt()).isGreaterThan(1);
    // The chunk count must be the number of windows the model really ran.
    Run direct = embedAlone(LONG_TEXT);
    assertThat(direct.windows()).isEqualTo(chunked.path("chunks").asLong());
    assertThat(chunked.path("tokens").asInt()).isEqualTo(direct.embedding().tokenCount());
    assertThat(direct.embedding().cosine(new Embedding(vector(chunked), -1, InputHandling.CHUNKED)))
        .isGreaterThan(0.9999);
  }

  private record Run(Embedding embedding, long windows) {}

  /** Embeds one text with a fresh model and counts the windows it ran (final once close has joined the worker). */
  private static Run embedAlone(String text) {
    OnnxEmbeddingModel model = OnnxEmbeddingModel.load(ModelSource.of(MODEL));
    Embedding embedding;
    try (model) {
      embedding = model.embed(text);
    }
    return new Run(embedding, model.stats().rows());
  }

  @Test
  void badRowsAreReportedAndSkippedAndTheRestIsWritten() throws Exception {
    Path in = dir.resolve("mixed.jsonl");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (String line : List.of(
        row("ok1", "A perfectly good sentence."),                  // 1
        "{not json",                                                // 2
        "{\"id\": \"no-text\"}",                                    // 3
        row("empty", ""),                                           // 4
        "{\"id\": \"surrogate\", \"text\": \"half \\ud800 pair\"}",  // 5: valid JSON, invalid UTF-16
        "",                                                         // 6: blank, not a row
        row(7, "Another good sentence."),                           // 7
        "[1, 2]",                                                   // 8
        "{\"id\": {\"x\": 1}, \"text\": \"t\"}",                    // 9
        "{\"id\": \"a\", \"text\": \"b\"} {}")) {                    // 10
      bytes.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    bytes.writeBytes("{\"id\": \"latin1\", \"text\": \"caf".getBytes(StandardCharsets.US_ASCII)); // 11: not UTF-8
    bytes.write(0xe9);
    bytes.writeBytes("\"}\n".getBytes(StandardCharsets.US_ASCII));
    bytes.writeBytes(row("last", "The final good row.").getBytes(StandardCharsets.UTF_8)); // 12: no newline
    Files.write(in, bytes.toByteArray());
    Path vectors = dir.resolve("vectors.jsonl");

    int status = run("embed", "--model", MODEL, "--in", in.toString(), "--out", vectors.toString());

    assertThat(status).isEqualTo(ExitCodes.FAILED);
    assertThat(jsonLines(Files.readString(vectors))).extracting(r -> r.path("id").asText())
        .containsExactly("ok1", "7", "last");
    List<String> errLines = err.toString().lines().toList();
    List<JsonNode> errors = new ArrayList<>();
    for (String line : errLines.subList(0, errLines.size() - 1)) {
      errors.add(JSON.readTree(line));
    }
    assertThat(errors).extracting(e -> e.path("line").asInt()).containsExactly(2, 3, 4, 5, 8, 9, 10, 11);
    assertThat(errors).extracting(e -> e.path("id").toString())
        .containsExactly("null", "\"no-text\"", "\"empty\"", "\"surrogate\"", "null", "{\"x\":1}", "null", "null");
    assertThat(errors.get(0).path("error").asText()).startsWith("not valid JSON");
    assertThat(errors.get(1).path("error").asText()).isEqualTo("\"text\" must be a string");
    assertThat(errors.get(2).path("error").asText()).isEqualTo("\"text\" is empty");
    assertThat(errors.get(3).path("error").asText()).startsWith("text has an unpaired high surrogate at char 5");
    assertThat(errors.get(4).path("error").asText()).startsWith("not a JSON object");
    assertThat(errors.get(5).path("error").asText()).isEqualTo("\"id\" must be a string or a number");
    assertThat(errors.get(6).path("error").asText()).startsWith("not valid JSON").contains("Trailing token");
    assertThat(errors.get(7).path("error").asText()).isEqualTo("the line is not valid UTF-8");
    assertThat(errLines.get(errLines.size() - 1))
        .isEqualTo("llmops: 8 of 11 rows failed (see the error lines above); the other rows were written");
  }

  @Test
  void overflowFailReportsLongTextsAndTruncateCutsThem() throws Exception {
    Path in = input(row("short", "Short text."), row("long", LONG_TEXT));

    assertThat(run("embed", "--model", MODEL, "--in", in.toString(), "--out", "-", "--overflow", "fail"))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(jsonLines(out.toString())).extracting(r -> r.path("id").asText()).containsExactly("short");
    JsonNode error = JSON.readTree(err.toString().lines().findFirst().orElseThrow());
    assertThat(error.path("line").asInt()).isEqualTo(2);
    assertThat(error.path("id").asText()).isEqualTo("long");
    assertThat(error.path("error").asText()).matches("text has \\d+ tokens, more than the 256 of model .*");

    assertThat(run("embed", "--model", MODEL, "--in", in.toString(), "--out", "-", "--overflow", "TRUNCATE"))
        .isEqualTo(ExitCodes.OK);
    JsonNode truncated = jsonLines(out.toString()).get(1);
    assertThat(truncated.path("handling").asText()).isEqualTo("truncated");
    assertThat(truncated.path("chunks").asInt()).isEqualTo(1);
    assertThat(truncated.path("tokens").asInt()).as("the full count, not the window").isGreaterThan(256);
  }

  @Test
  void groupsOfOneGiveTheSameRowsAsOneGroup() throws Exception {
    Path in = input(row(1, "first text"), row(2, "second, somewhat longer text about invoices"), row(3, LONG_TEXT),
        row(4, "fourth"));

    // The fp32 model: with the int8 one, a text's vector depends slightly on its batch mates (cosine 0.985 to 0.992
    // against the text alone), since dynamic quantization scales activations over the whole batch.
    String model = "all-minilm-l6-v2";
    assertThat(run("embed", "--model", model, "--in", in.toString(), "--out", "-")).isZero();
    List<JsonNode> together = jsonLines(out.toString());
    assertThat(run("embed", "--model", model, "--in", in.toString(), "--out", "-", "--batch", "1")).isZero();
    List<JsonNode> alone = jsonLines(out.toString());

    assertThat(alone).extracting(r -> r.path("id").asInt()).containsExactly(1, 2, 3, 4);
    for (int i = 0; i < 4; i++) {
      Embedding a = new Embedding(vector(together.get(i)), -1, InputHandling.WHOLE);
      Embedding b = new Embedding(vector(alone.get(i)), -1, InputHandling.WHOLE);
      assertThat(a.cosine(b)).isGreaterThan(0.9999);
      assertThat(alone.get(i).path("chunks")).isEqualTo(together.get(i).path("chunks"));
    }
  }

  @Test
  void idsAreCopiedExactly() throws Exception {
    Path in = input("{\"id\": 1.10, \"text\": \"a\"}", "{\"id\": 12345678901234567890123, \"text\": \"b\"}",
        "{\"id\": \"007\", \"text\": \"c\"}", "{\"id\": -3e2, \"text\": \"d\"}");

    assertThat(run("embed", "--model", MODEL, "--in", in.toString(), "--out", "-")).isZero();

    assertThat(out.toString().lines().map(l -> l.substring(0, l.indexOf(",\"vector\""))))
        .containsExactly("{\"id\":1.10", "{\"id\":12345678901234567890123", "{\"id\":\"007\"", "{\"id\":-3E+2");
  }

  @Test
  void anUnknownModelFailsClearlyAndWritesNothing() throws Exception {
    Path in = input(row(1, "text"));
    Path vectors = dir.resolve("vectors.jsonl");

    assertThat(run("embed", "--model", "no-such-model", "--in", in.toString(), "--out", vectors.toString()))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).isEqualTo("llmops: 'no-such-model' is neither a built-in model "
        + "[all-minilm-l6-v2, all-minilm-l6-v2-q] nor a model directory" + System.lineSeparator());
    assertThat(vectors).doesNotExist();
  }

  @Test
  void aMissingInputFileFailsClearlyAndLeavesTheOutputAsItWas() throws Exception {
    Path vectors = dir.resolve("vectors.jsonl");
    Files.writeString(vectors, "earlier output\n");

    assertThat(run("embed", "--model", MODEL, "--in", dir.resolve("missing.jsonl").toString(), "--out",
        vectors.toString())).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("input file").contains("missing.jsonl").contains("does not exist");
    assertThat(Files.readString(vectors)).isEqualTo("earlier output\n");

    assertThat(run("embed", "--model", MODEL, "--in", dir.toString(), "--out", vectors.toString()))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("is a directory");
  }

  @Test
  void aDirectoryAsOutputIsRefusedBeforeTheModelRuns() throws Exception {
    Path in = input(row(1, "text"));
    Path occupied = dir.resolve("occupied");
    Files.createDirectories(occupied.resolve("inside"));

    assertThat(run("embed", "--model", MODEL, "--in", in.toString(), "--out", occupied.toString()))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).startsWith("llmops: output " + occupied.toAbsolutePath() + " is a directory");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("texts.jsonl", "occupied");
    }
  }

  @Test
  void badArgumentsExitWithTwo() throws Exception {
    Path in = input(row(1, "text"));
    assertThat(run("embed", "--model", MODEL, "--in", in.toString(), "--out", "-", "--batch", "0"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--batch must be at least 1 but was 0");
    assertThat(run("embed", "--model", MODEL, "--in", in.toString(), "--out", "-", "--overflow", "banana"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("expected chunk, truncate or fail but was 'banana'");
    assertThat(run("embed", "--model", MODEL, "--out", "-")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--in");
  }

  @Test
  void showsProgressWhenAskedAndKeepsErrorLinesApart() throws Exception {
    Path in = input(row("a", "one"), "{broken", row("b", "two"), row("c", "three"));

    assertThat(run("embed", "--model", MODEL, "--in", in.toString(), "--out", "-", "--progress", "--batch", "2"))
        .isEqualTo(ExitCodes.FAILED);

    String stderr = err.toString();
    assertThat(stderr).contains("\rembedding  4 of 4 texts  ").contains("/s  [####################]");
    List<String> lines = List.of(stderr.split("\n"));
    // What a terminal shows: each line as left by its last carriage return.
    List<String> shown = lines.stream().map(l -> l.substring(l.lastIndexOf('\r') + 1).stripTrailing()).toList();
    assertThat(shown).hasSize(3);
    assertThat(JSON.readTree(shown.get(0)).path("line").asInt()).isEqualTo(2);
    assertThat(shown.get(1)).matches("embedding  4 of 4 texts  [\\d,]+/s  \\[#{20}]");
    assertThat(shown.get(2)).startsWith("llmops: 1 of 4 rows failed");
    assertThat(jsonLines(out.toString())).hasSize(3);

    assertThat(run("embed", "--model", MODEL, "--in", in.toString(), "--out", "-", "--no-progress"))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).doesNotContain("embedding").doesNotContain("\r");
  }
}
