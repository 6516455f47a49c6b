package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llmops index} and {@code llmops search} with {@code --solr} and {@code --collection}, against a real
 * one-node SolrCloud cluster started here, with the real int8 all-MiniLM-L6-v2.
 */
class SolrIndexAndSearchCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "all-minilm-l6-v2-q";
  private static MiniSolrCloudCluster cluster;
  private static String url;

  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  @BeforeAll
  static void start(@TempDir Path base) throws Exception {
    System.setProperty("solr.install.dir", base.toString());
    System.setProperty("zookeeper.admin.enableServer", "false");
    cluster = new MiniSolrCloudCluster.Builder(1, base.resolve("node")).withMetrics(false).build();
    url = cluster.getJettySolrRunner(0).getBaseUrl().toString();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.shutdown();
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return LlmOpsCommand.commandLine(new LlmOpsCommand(Map.of()), new PrintWriter(out, true),
        new PrintWriter(err, true)).execute(args);
  }

  @Test
  void indexesIntoSolrCloudAndSearchesIt() throws IOException {
    Path corpus = dir.resolve("corpus.jsonl");
    Files.writeString(corpus, String.join("\n",
        "{\"_id\": \"tides\", \"title\": \"Oceans\", \"text\": \"Tides are caused by the pull of the moon.\"}",
        "{\"_id\": \"lava\", \"title\": \"Volcanoes\", \"text\": \"An eruption throws ash and lava from the crust.\"}",
        "{\"_id\": \"bread\", \"title\": \"Baking\", \"text\": \"Sourdough rises slowly as wild yeast ferments.\"}")
        + "\n");
    assertThat(run("index", "--solr", url, "--collection", "docs", "--in", corpus.toString(), "--model", MODEL,
        "--json")).as("stderr: %s", err).isZero();
    JsonNode summary = JSON.readTree(out.toString().strip());
    assertThat(summary.get("added").asInt()).isEqualTo(3);
    assertThat(summary.get("snapshot").asText()).isEqualTo("docs_g000001");
    assertThat(summary.get("index").asText()).contains("collection docs").contains(url);

    // Unchanged input: nothing embedded, no new collection generation.
    assertThat(run("index", "--solr", url, "--collection", "docs", "--in", corpus.toString(), "--model", MODEL,
        "--json")).as("stderr: %s", err).isZero();
    assertThat(JSON.readTree(out.toString().strip()).get("newSnapshot").asBoolean()).isFalse();

    Path queries = dir.resolve("queries.jsonl");
    Files.writeString(queries, "{\"_id\": \"q1\", \"text\": \"what pulls the tides of the sea\"}\n");
    for (String mode : List.of("bm25", "dense", "hybrid")) {
      Path trec = dir.resolve(mode + ".txt");
      assertThat(run("search", "--solr", url, "--collection", "docs", "--in", queries.toString(), "--model", MODEL,
          "--k", "2", "--mode", mode, "--out", trec.toString())).as("stderr: %s", err).isZero();
      List<String> lines = Files.readAllLines(trec, StandardCharsets.UTF_8);
      assertThat(lines).isNotEmpty();
      assertThat(lines.get(0)).startsWith("q1 Q0 tides 1 ");
    }
  }

  @Test
  void indexAndSolrAreAlternatives() {
    assertThat(run("search", "--index", dir.toString(), "--solr", url, "--collection", "docs", "--in", "q.jsonl",
        "--out", "-")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("mutually exclusive");
    assertThat(run("search", "--solr", url, "--in", "q.jsonl", "--out", "-")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--collection");
  }

  @Test
  void anUnreachableClusterIsARetriableFailureNamingIt() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String down = "http://127.0.0.1:" + port + "/solr";
    Path corpus = dir.resolve("one.jsonl");
    Files.writeString(corpus, "{\"_id\": \"a\", \"text\": \"some text\"}\n");
    assertThat(run("index", "--solr", down, "--collection", "docs", "--in", corpus.toString(), "--model", "none"))
        .isEqualTo(ExitCodes.RETRIABLE);
    assertThat(err.toString()).contains(down);
  }
}
