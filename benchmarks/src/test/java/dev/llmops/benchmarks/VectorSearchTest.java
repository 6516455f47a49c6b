package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the vector-search comparison runnable: a tiny run measures every library and writes its results. */
class VectorSearchTest {

  @TempDir Path dir;

  @Test
  void aTinyRunComparesEveryLibraryWithExactSearch() throws Exception {
    VectorSearch.Settings settings = VectorSearch.Settings.parse(new String[] {"--sizes", "1500,3000", "--queries",
        "40", "--k", "10", "--clusters", "30", "--out", dir.toString()});

    VectorSearch.Report report = VectorSearch.run(settings);

    assertThat(report.rows()).extracting(VectorSearch.Row::library).containsExactly(ExactSearch.NAME,
        LangChain4jInMemorySearch.NAME, ExactSearch.NAME, LangChain4jInMemorySearch.NAME);
    assertThat(report.rows()).extracting(VectorSearch.Row::size).containsExactly(1500, 1500, 3000, 3000);
    assertThat(report.rows()).allSatisfy(r -> {
      assertThat(r.queriesPerSecond()).isPositive();
      assertThat(r.queries()).isEqualTo(40);
      // LangChain4j's store is exact too; only float rounding at near ties can differ.
      assertThat(r.recall()).isGreaterThanOrEqualTo(0.99);
    });
    assertThat(report.table()).contains("langchain4j-inmemory", "recall@10", "3,000");
    assertThat(Files.readAllLines(report.write(dir))).hasSize(4).allSatisfy(line ->
        assertThat(line).contains("\"benchmark\":\"vector-search\"", "\"recall\":"));
  }

  @Test
  void recallIsTheShareOfExactTopKFound() {
    assertThat(VectorSearch.recall(new int[] {1, 2, 3}, new int[] {3, 4, 1}, 3)).isEqualTo(2.0 / 3);
    assertThat(VectorSearch.recall(new int[] {9}, new int[] {3, 4}, 2)).isZero();
    assertThat(VectorSearch.recall(new int[] {4, 3, 8}, new int[] {3, 4, 8}, 2)).isEqualTo(1.0);
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> VectorSearch.Settings.parse(new String[] {"--libraries", "faiss"}))
        .hasMessageContaining("unknown library 'faiss'");
    assertThatThrownBy(() -> VectorSearch.Settings.parse(new String[] {"--sizes", "5", "--k", "10"}))
        .hasMessageContaining("size 5 is smaller than --k 10");
    VectorSearch.Settings huge = VectorSearch.Settings.parse(new String[] {"--sizes", "400000000"});
    assertThatThrownBy(() -> VectorSearch.run(huge)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("-Dbench.jvm=");
  }
}
