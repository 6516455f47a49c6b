package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps knn-segments runnable: a small index in several segments, searched both ways. */
class KnnSegmentsTest {

  @TempDir Path dir;

  @Test
  void bothWaysSearchTheSameSegments() throws Exception {
    KnnSegments.Settings settings = KnnSegments.Settings.parse(new String[] {"--size", "4000", "--ram-mb", "1",
        "--hnsw", "16,50", "--candidates", "10,60", "--queries", "30", "--clusters", "40", "--index-dir",
        dir.resolve("indexes").toString(), "--out", dir.toString()});

    KnnSegments.Report report = KnnSegments.run(settings);

    assertThat(report.segments()).as("a 1 MB buffer flushes several segments").isGreaterThan(1);
    assertThat(report.rows()).extracting(KnnSegments.Row::way).containsExactly("query", "per segment", "query",
        "per segment");
    assertThat(report.rows()).allSatisfy(r -> {
      assertThat(r.recall()).isBetween(0.0, 1.0);
      assertThat(r.queriesPerSecond()).isPositive();
    });
    // Each segment searched alone for 60 candidates finds nearly all of the exact top 10.
    assertThat(report.rows().get(3).recall()).isGreaterThanOrEqualTo(0.95);
    assertThat(report.table()).contains("segments", "per segment");
    assertThat(Files.readAllLines(report.write(dir))).hasSize(4);
    try (Stream<Path> left = Files.list(dir.resolve("indexes"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> KnnSegments.Settings.parse(new String[] {"--candidates", "5"}))
        .hasMessageContaining("every --candidates at least --k");
    assertThatThrownBy(() -> KnnSegments.Settings.parse(new String[] {"--hnsw", "16"}))
        .hasMessageContaining("--hnsw takes the degree");
  }
}
