package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the embedding comparison runnable without ../shared/data: a tiny run on a few written texts must measure
 * every row for both sides, compare the int8 files and write the table and the JSON lines.
 */
class EmbeddingThroughputTest {

  @TempDir Path dir;

  @Test
  void aTinyRunMeasuresBothSidesAndTheInt8Files() throws Exception {
    List<String> queries = new ArrayList<>();
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      queries.add("{\"_id\": \"" + i + "\", \"text\": \"Claim number " + i + " says protein " + i + " binds DNA.\"}");
    }
    for (int i = 0; i < 4; i++) {
      corpus.add("{\"_id\": \"d" + i + "\", \"title\": \"Study " + i + "\", \"text\": \""
          + "Cells respond to signals. ".repeat(60) + "\"}");
    }
    Files.write(dir.resolve("queries-train.jsonl"), queries);
    Files.write(dir.resolve("corpus.jsonl"), corpus);
    EmbeddingThroughput.Settings settings = EmbeddingThroughput.Settings.parse(new String[] {"--data",
        dir.toString(), "--short", "24", "--long", "4", "--callers", "2", "--latency-seconds", "1", "--precisions",
        "int8", "--out", dir.resolve("out").toString()});

    EmbeddingThroughput.Report report = EmbeddingThroughput.run(settings);

    assertThat(report.rows()).hasSize(8).allSatisfy(r -> assertThat(r.textsPerSecond()).isPositive());
    assertThat(report.rows()).extracting(EmbeddingThroughput.Row::side).containsOnly("llmops", "langchain4j");
    EmbeddingThroughput.Row ours = report.find("int8", "long, 2 callers", "llmops");
    EmbeddingThroughput.Row theirs = report.find("int8", "long, 2 callers", "langchain4j");
    assertThat(ours.tokensPerSecond() / ours.textsPerSecond()).as("llmops encodes every token of the long texts")
        .isGreaterThan(300);
    assertThat(theirs.tokensPerSecond() / theirs.textsPerSecond()).as("LangChain4j stops early")
        .isLessThan(200);
    assertThat(report.quantRows()).hasSize(3).allSatisfy(q -> {
      assertThat(q.meanCosine()).isGreaterThan(0.95);
      assertThat(q.textsPerSecond()).isPositive();
    });
    assertThat(report.ceilingGflops()).isPositive();
    assertThat(report.table()).contains("short, 1 caller", "latency @", "int8 files", "per-token");
    Path file = report.write(dir.resolve("out"));
    assertThat(Files.readAllLines(file)).hasSize(11);
  }

  @Test
  void missingDataIsNamed() {
    EmbeddingThroughput.Settings settings = EmbeddingThroughput.Settings.parse(new String[] {"--data",
        dir.resolve("nowhere").toString()});
    assertThatThrownBy(() -> EmbeddingThroughput.run(settings)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("queries-train.jsonl").hasMessageContaining("../shared/data/scifact");
  }
}
