package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.embedding.TokenCounter;
import dev.llmops.rag.chunk.RecursiveChunker;
import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.IndexSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmops index} and {@code llmops search} on a real Lucene index with the real int8 all-MiniLM-L6-v2. */
class IndexAndSearchCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "all-minilm-l6-v2-q";

  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return LlmOpsCommand.commandLine(new LlmOpsCommand(Map.of()), new PrintWriter(out, true),
        new PrintWriter(err, true)).execute(args);
  }

  private static String doc(String id, String title, String text) {
    ObjectNode row = JSON.createObjectNode();
    return row.put("_id", id).put("title", title).put("text", text).toString();
  }

  private static final List<String> CORPUS = List.of(
      doc("cats", "Cats", "Domestic cats sleep for most of the day and hunt small rodents at night."),
      doc("volcano", "Volcanoes", "A volcanic eruption throws ash and lava; magma rises through the crust."),
      doc("bread", "Baking", "Sourdough bread rises slowly because wild yeast ferments the dough."),
      doc("tides", "Oceans", "Tides are caused by the gravitational pull of the moon on the oceans."),
      doc("rust", "Chemistry", "Iron rusts when it reacts with oxygen and water to form iron oxide."));

  private Path write(String name, List<String> lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private JsonNode summary() throws IOException {
    return JSON.readTree(out.toString().strip());
  }

  @Test
  void indexesACorpusAndWritesATrecRunPerMode() throws IOException {
    Path index = dir.resolve("index");
    Path corpus = write("corpus.jsonl", CORPUS);
    assertThat(run("index", "--index", index.toString(), "--in", corpus.toString(), "--model", MODEL, "--json"))
        .as("stderr: %s", err).isZero();
    JsonNode first = summary();
    assertThat(first.get("added").asInt()).isEqualTo(5);
    assertThat(first.get("chunksEmbedded").asInt()).isEqualTo(5);
    assertThat(first.get("snapshot").asText()).isNotBlank();

    Path queries = write("queries.jsonl", List.of("{\"_id\": \"q1\", \"text\": \"why does the sea rise and fall\"}",
        "{\"_id\": 2, \"text\": \"what makes lava come out of a mountain\"}"));
    for (String mode : List.of("bm25", "dense", "hybrid")) {
      Path run = dir.resolve(mode + ".txt");
      assertThat(run("search", "--index", index.toString(), "--in", queries.toString(), "--model", MODEL, "--k", "3",
          "--mode", mode, "--out", run.toString())).as("stderr: %s", err).isZero();
      List<String> lines = Files.readAllLines(run, StandardCharsets.UTF_8);
      for (String line : lines) {
        assertThat(line).matches("\\S+ Q0 \\S+ \\d+ -?\\d+\\.\\d{6} llmops-" + mode);
      }
      if (mode.equals("dense")) {
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).startsWith("q1 Q0 tides 1 ");
        assertThat(lines.get(3)).startsWith("2 Q0 volcano 1 ");
      }
      List<String> ranks = new ArrayList<>();
      lines.forEach(l -> ranks.add(l.split(" ")[0] + "/" + l.split(" ")[3]));
      assertThat(ranks).doesNotHaveDuplicates();
    }
  }

  @Test
  void aSecondRunSkipsUnchangedDocumentsAndRefreshDeletes() throws IOException {
    Path index = dir.resolve("index");
    assertThat(run("index", "--index", index.toString(), "--in", write("c1.jsonl", CORPUS).toString(), "--model",
        MODEL, "--json")).isZero();
    String firstSnapshot = summary().get("snapshot").asText();

    List<String> changed = new ArrayList<>(CORPUS.subList(0, 4));
    changed.set(2, doc("bread", "Baking", "Rye bread needs a longer proof than wheat bread."));
    assertThat(run("index", "--index", index.toString(), "--in", write("c1.jsonl", changed).toString(), "--model",
        MODEL, "--json")).isZero();
    JsonNode upsert = summary();
    assertThat(upsert.get("updated").asInt()).isEqualTo(1);
    assertThat(upsert.get("unchanged").asInt()).isEqualTo(3);
    assertThat(upsert.get("deleted").asInt()).isZero();
    assertThat(upsert.get("chunksEmbedded").asInt()).isEqualTo(1);

    assertThat(run("index", "--index", index.toString(), "--in", dir.resolve("c1.jsonl").toString(), "--model", MODEL,
        "--refresh")).isZero();
    assertThat(out.toString()).contains("deleted 1").contains("(new)");

    Path queries = write("q.jsonl", List.of("{\"_id\": \"r\", \"text\": \"iron oxide\"}"));
    Path run = dir.resolve("run.txt");
    assertThat(run("search", "--index", index.toString(), "--in", queries.toString(), "--model", MODEL, "--mode",
        "bm25", "--out", run.toString(), "--snapshot", firstSnapshot)).isZero();
    assertThat(Files.readString(run)).startsWith("r Q0 rust 1 ");
    assertThat(run("search", "--index", index.toString(), "--in", queries.toString(), "--model", MODEL, "--mode",
        "bm25", "--out", run.toString())).isZero();
    assertThat(Files.readString(run)).doesNotContain("rust");
  }

  @Test
  void badDocumentsAndQueriesFailAloneAndAreReported() throws IOException {
    Path index = dir.resolve("index");
    List<String> corpus = new ArrayList<>(CORPUS);
    corpus.add("{not json");
    corpus.add(doc("empty", "Nothing", "  "));
    corpus.add(doc("cats", "Again", "a duplicate id"));
    assertThat(run("index", "--index", index.toString(), "--in", write("c.jsonl", corpus).toString(), "--model",
        "none")).isEqualTo(ExitCodes.FAILED);
    assertThat(out.toString()).contains("added 5").contains("failed 3");
    assertThat(err.toString()).contains("\"source\":\"c.jsonl:6\"").contains("\"id\":\"empty\"")
        .contains("no text").contains("\"id\":\"cats\"");

    Path queries = write("q.jsonl", List.of("{\"_id\": \"a\", \"text\": \"moon tides\"}", "{\"text\": \"no id\"}",
        "{\"_id\": \"b\", \"text\": \"yeast\"}"));
    Path run = dir.resolve("run.txt");
    assertThat(run("search", "--index", index.toString(), "--in", queries.toString(), "--model", "none", "--mode",
        "bm25", "--out", run.toString())).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("\"line\":2").contains("_id");
    assertThat(Files.readAllLines(run)).extracting(l -> l.split(" ")[0] + " " + l.split(" ")[2])
        .containsExactly("a tides", "b bread");

    assertThat(run("search", "--index", index.toString(), "--in", queries.toString(), "--model", "none", "--mode",
        "dense", "--out", run.toString())).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("needs an embedding model");
  }

  @Test
  void aRefreshWithAnUnreadableLineDeletesNothing() throws IOException {
    Path index = dir.resolve("index");
    assertThat(run("index", "--index", index.toString(), "--in", write("c.jsonl", CORPUS).toString(), "--model",
        "none")).isZero();
    List<String> damaged = new ArrayList<>(CORPUS.subList(0, 3));
    damaged.add("{\"_id\": \"tides\", \"text\": broken");
    assertThat(run("index", "--index", index.toString(), "--in", write("c.jsonl", damaged).toString(), "--model",
        "none", "--refresh", "--json")).isEqualTo(ExitCodes.FAILED);
    assertThat(summary().get("deleted").asInt()).isZero();
    assertThat(err.toString()).contains("deletes nothing this time");

    Path queries = write("q.jsonl", List.of("{\"_id\": \"q\", \"text\": \"moon tides\"}"));
    assertThat(run("search", "--index", dir.resolve("empty").toString(), "--in", queries.toString(), "--model", "none",
        "--out", dir.resolve("run.txt").toString())).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("does not exist");
    Files.createDirectories(dir.resolve("empty"));
    assertThat(run("search", "--index", dir.resolve("empty").toString(), "--in", queries.toString(), "--model", "none",
        "--out", dir.resolve("run.txt").toString())).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("holds no index");
  }

  @Test
  void searchRunsWhileAWriterHoldsTheIndex() throws IOException {
    Path index = dir.resolve("index");
    assertThat(run("index", "--index", index.toString(), "--in", write("c.jsonl", CORPUS).toString(), "--model",
        "none")).isZero();
    try (DocumentIndex writer = DocumentIndex.lucene(index, IndexSettings.builder()
        .chunker(RecursiveChunker.of(TokenCounter.approximate(512))).build())) {
      assertThat(run("index", "--index", index.toString(), "--in", dir.resolve("c.jsonl").toString(), "--model",
          "none")).isEqualTo(ExitCodes.FAILED);
      assertThat(err.toString()).contains("open in another process");
      Path queries = write("q.jsonl", List.of("{\"_id\": \"q\", \"text\": \"sourdough yeast\"}"));
      Path run = dir.resolve("run.txt");
      assertThat(run("search", "--index", index.toString(), "--in", queries.toString(), "--model", "none", "--mode",
          "bm25", "--k", "1", "--out", run.toString())).as("stderr: %s", err).isZero();
      assertThat(Files.readString(run)).startsWith("q Q0 bread 1 ");
      assertThat(writer.documentIds()).hasSize(5);
    }
  }

  @Test
  void indexesAFolderOfFiles() throws IOException {
    Path docs = dir.resolve("docs");
    Files.createDirectories(docs.resolve("guides"));
    Files.writeString(docs.resolve("guides/setup.md"), "# Setup\n\nInstall the agent, then restart the service.\n");
    Files.writeString(docs.resolve("faq.html"),
        "<html><head><title>FAQ</title></head><body><h1>Billing</h1><p>Invoices are sent monthly.</p></body></html>");
    Files.writeString(docs.resolve("notes.txt"), "Quarterly planning happens in March.");
    Files.write(docs.resolve("broken.txt"), new byte[] {'o', 'k', (byte) 0xff, (byte) 0xfe});
    Path index = dir.resolve("index");
    assertThat(run("index", "--index", index.toString(), "--in", docs.toString(), "--model", "none", "--json"))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(summary().get("added").asInt()).isEqualTo(3);
    assertThat(err.toString()).contains("broken.txt");

    Path queries = write("q.jsonl", List.of("{\"_id\": \"q\", \"text\": \"invoices monthly\"}"));
    Path run = dir.resolve("run.txt");
    assertThat(run("search", "--index", index.toString(), "--in", queries.toString(), "--model", "none", "--mode",
        "bm25", "--k", "1", "--out", run.toString())).isZero();
    assertThat(Files.readString(run)).startsWith("q Q0 faq.html 1 ");
  }

  @Test
  void validationCanFailTheStepBeforeAnythingIsIndexed() throws IOException {
    Path index = dir.resolve("index");
    List<String> corpus = new ArrayList<>(CORPUS);
    corpus.add(doc("copy", "Cats", "Domestic cats sleep for most of the day and hunt small rodents at night."));
    Path file = write("c.jsonl", corpus);
    assertThat(run("index", "--index", index.toString(), "--in", file.toString(), "--model", "none", "--validate"))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("validation failed").contains("exact duplicates").contains("nothing was indexed");
    assertThat(index).doesNotExist();

    Path lenient = dir.resolve("thresholds.json");
    Files.writeString(lenient, "{\"maxExactDuplicateShare\": 0.5}");
    assertThat(run("index", "--index", index.toString(), "--in", file.toString(), "--model", "none", "--validate-only",
        "--thresholds", lenient.toString())).as("stderr: %s", err).isZero();
    assertThat(out.toString()).contains("exact duplicates");
    assertThat(index).doesNotExist();

    Files.writeString(lenient, "{\"maxExactDuplicateShare\": 7}");
    assertThat(run("index", "--index", index.toString(), "--in", file.toString(), "--model", "none", "--validate-only",
        "--thresholds", lenient.toString())).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("maxExactDuplicateShare");
  }

  @Test
  void searchingWithAnotherModelThanTheIndexWasBuiltWithIsRefused() throws IOException {
    Path index = dir.resolve("index");
    assertThat(run("index", "--index", index.toString(), "--in", write("c.jsonl", CORPUS).toString(), "--model",
        "none")).isZero();
    Path queries = write("q.jsonl", List.of("{\"_id\": \"q\", \"text\": \"tides\"}"));
    assertThat(run("search", "--index", index.toString(), "--in", queries.toString(), "--model", MODEL,
        "--out", dir.resolve("run.txt").toString())).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("'none'").contains(MODEL);
  }
}
