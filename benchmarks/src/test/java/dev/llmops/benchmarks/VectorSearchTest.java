package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the vector-search comparison runnable: a tiny run measures every library and writes its results. */
class VectorSearchTest {

  @TempDir Path dir;

  @Test
  void aTinyRunComparesEveryLibraryWithExactSearch() throws Exception {
    VectorSearch.Settings settings = VectorSearch.Settings.parse(new String[] {"--sizes", "1500,3000", "--queries",
        "40", "--k", "10", "--clusters", "30", "--candidates", "20,100", "--warmup-seconds", "0", "--index-dir",
        dir.resolve("indexes").toString(), "--out", dir.toString()});

    VectorSearch.Report report = VectorSearch.run(settings);

    String hnsw = LlmopsIndexSearch.Kind.LUCENE_HNSW.library;
    String int8 = LlmopsIndexSearch.Kind.LUCENE_HNSW_INT8.library;
    String inMemory = LlmopsIndexSearch.Kind.IN_MEMORY_EXACT.library;
    List<String> perSize = List.of(ExactSearch.NAME, LangChain4jInMemorySearch.NAME, hnsw, hnsw, int8, int8,
        inMemory);
    List<String> libraries = new ArrayList<>(perSize);
    libraries.addAll(perSize);
    assertThat(report.rows()).extracting(VectorSearch.Row::library).containsExactlyElementsOf(libraries);
    assertThat(report.rows()).extracting(VectorSearch.Row::size).containsExactly(1500, 1500, 1500, 1500, 1500, 1500,
        1500, 3000, 3000, 3000, 3000, 3000, 3000, 3000);
    assertThat(report.rows()).extracting(VectorSearch.Row::candidates).containsExactly(0, 0, 20, 100, 20, 100, 0,
        0, 0, 20, 100, 20, 100, 0);
    assertThat(report.rows()).allSatisfy(r -> {
      assertThat(r.queriesPerSecond()).isPositive();
      assertThat(r.queries()).isEqualTo(40);
      if (r.library().equals(int8)) {
        assertThat(r.recall()).as("int8 vectors reorder near ties").isGreaterThanOrEqualTo(0.8);
      } else if (r.library().equals(hnsw)) {
        assertThat(r.recall()).isGreaterThanOrEqualTo(r.candidates() == 100 ? 0.95 : 0.8);
      } else {
        // Exact searches all; only float rounding at near ties can differ.
        assertThat(r.recall()).isGreaterThanOrEqualTo(0.99);
      }
    });
    assertThat(report.rows().stream().filter(r -> r.library().equals(hnsw)).map(VectorSearch.Row::buildSeconds)
        .distinct()).as("one build per size, measured at each candidate count").hasSize(2);
    assertThat(report.table()).contains("langchain4j-inmemory", "recall@10", "3,000", "cand.", "segment");
    assertThat(Files.readAllLines(report.write(dir))).hasSize(14).allSatisfy(line ->
        assertThat(line).contains("\"benchmark\":\"vector-search\"", "\"recall\":"));
    try (Stream<Path> left = Files.list(dir.resolve("indexes"))) {
      assertThat(left).as("the Lucene indexes are deleted").isEmpty();
    }
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
    assertThatThrownBy(() -> VectorSearch.Settings.parse(new String[] {"--candidates", "5,100"}))
        .hasMessageContaining("--candidates must be at least --k 10");
    assertThatThrownBy(() -> VectorSearch.Settings.parse(new String[] {"--hnsw", "16"}))
        .hasMessageContaining("--hnsw takes the degree and the construction beam");
    VectorSearch.Settings huge = VectorSearch.Settings.parse(new String[] {"--sizes", "400000000"});
    assertThatThrownBy(() -> VectorSearch.run(huge)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("-Dbench.jvm=");
  }
}
