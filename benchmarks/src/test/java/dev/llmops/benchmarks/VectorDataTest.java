package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the real-against-synthetic check runnable without ../shared/data, on a few written abstracts. */
class VectorDataTest {

  @TempDir Path dir;

  @Test
  void measuresRealAndSyntheticVectors() throws Exception {
    List<String> corpus = new ArrayList<>();
    String[] topics = {"protein folding", "tumour growth", "vaccine response", "gut bacteria"};
    for (int i = 0; i < 40; i++) {
      corpus.add("{\"_id\": \"" + i + "\", \"title\": \"Study " + i + "\", \"text\": \"We report on "
          + topics[i % 4] + " in sample " + i + ".\"}");
    }
    Files.write(dir.resolve("corpus.jsonl"), corpus);

    VectorData.Report report = VectorData.run(VectorData.Settings.parse(new String[] {"--data", dir.toString(),
        "--docs", "40", "--queries", "10", "--clusters", "5000"}));

    assertThat(report.rows()).extracting(VectorData.Row::source).containsExactly("SciFact", "synthetic");
    assertThat(report.rows()).allSatisfy(r -> {
      assertThat(r.statistics().vectors()).isEqualTo(40);
      assertThat(r.statistics().queries()).isEqualTo(10);
      assertThat(r.statistics().nearestCosine()).isGreaterThan(r.statistics().meanCosine());
    });
    assertThat(report.rows().get(1).details()).as("5000 clusters per 100,000 vectors: 2 for 40").startsWith("2 "
        + "clusters");
    assertThat(report.table()).contains("LID@20");
    assertThat(Files.readAllLines(report.write(dir))).hasSize(2);
  }

  @Test
  void missingDataIsNamed() {
    VectorData.Settings settings = VectorData.Settings.parse(new String[] {"--data", dir.resolve("none").toString()});
    assertThatThrownBy(() -> VectorData.run(settings)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("corpus.jsonl").hasMessageContaining("--data");
  }
}
