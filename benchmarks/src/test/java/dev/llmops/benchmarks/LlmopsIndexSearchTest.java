package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The llmops index as a vector-search subject: vectors in through documents, ids back through citations, recall
 * against exact search on 2,000 clustered vectors. Correctness only; speed is what the benchmark measures.
 */
class LlmopsIndexSearchTest {

  @TempDir Path dir;

  private static final SyntheticVectors VECTORS = new SyntheticVectors(new SyntheticVectors.Spec(384, 40, 1.1, 16,
      0.4, 7));

  private static double recallAgainstExact(VectorSearchSubject subject, VectorSet base, VectorSet queries, int k,
      int candidates) {
    double recall = 0;
    for (int q = 0; q < queries.size(); q++) {
      int[] found = subject.search(queries.get(q), k, candidates);
      assertThat(found).hasSize(k).doesNotHaveDuplicates();
      assertThat(Arrays.stream(found).min().orElseThrow()).isNotNegative();
      assertThat(Arrays.stream(found).max().orElseThrow()).isLessThan(base.size());
      recall += VectorSearch.recall(found, ExactSearch.topK(base, queries.get(q), k), k);
    }
    return recall / queries.size();
  }

  @Test
  void luceneHnswFindsWhatExactSearchFinds() throws Exception {
    VectorSet base = VECTORS.generate(SyntheticVectors.Draw.BASE, 2_000);
    VectorSet queries = VECTORS.generate(SyntheticVectors.Draw.QUERIES, 50);
    try (LlmopsIndexSearch hnsw = new LlmopsIndexSearch(LlmopsIndexSearch.Kind.LUCENE_HNSW, dir, 16, 100, 100)) {
      assertThat(hnsw.declines(2_000, 384)).isEmpty();
      hnsw.build(base);

      assertThat(hnsw.tunesCandidates()).isTrue();
      assertThat(recallAgainstExact(hnsw, base, queries, 10, 100)).isGreaterThanOrEqualTo(0.9);
      // A base vector's nearest neighbour is itself.
      for (int id : new int[] {0, 777, 1_999}) {
        assertThat(hnsw.search(base.get(id), 1)).containsExactly(id);
      }
      assertThat(hnsw.ingestion()).isNotNull();
      assertThat(hnsw.ingestion().added()).isEqualTo(2_000);
      assertThat(hnsw.describe()).contains("llmops-lucene-hnsw at 2,000", "1 segment", "beam 100");
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files).hasSize(1);
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("close deletes the index directory").isEmpty();
    }
  }

  @Test
  void int8AndInMemoryIndexesAnswerToo() throws Exception {
    VectorSet base = VECTORS.generate(SyntheticVectors.Draw.BASE, 2_000);
    VectorSet queries = VECTORS.generate(SyntheticVectors.Draw.QUERIES, 30);
    try (LlmopsIndexSearch int8 = new LlmopsIndexSearch(LlmopsIndexSearch.Kind.LUCENE_HNSW_INT8, dir, 16, 100, 100);
        LlmopsIndexSearch exact = new LlmopsIndexSearch(LlmopsIndexSearch.Kind.IN_MEMORY_EXACT, dir, 16, 100, 100)) {
      int8.build(base);
      exact.build(base);

      assertThat(recallAgainstExact(int8, base, queries, 10, 100)).isGreaterThanOrEqualTo(0.8);
      assertThat(exact.tunesCandidates()).isFalse();
      assertThat(recallAgainstExact(exact, base, queries, 10, 10)).isGreaterThanOrEqualTo(0.99);
      assertThat(exact.describe()).doesNotContain("segment");
    }
  }

  @Test
  void theInMemoryIndexDeclinesWhatTheHeapCannotHold() {
    try (LlmopsIndexSearch exact = new LlmopsIndexSearch(LlmopsIndexSearch.Kind.IN_MEMORY_EXACT, dir, 16, 100, 10);
        LlmopsIndexSearch hnsw = new LlmopsIndexSearch(LlmopsIndexSearch.Kind.LUCENE_HNSW, dir, 16, 100, 10)) {
      assertThat(exact.declines(400_000_000, 384)).hasValueSatisfying(reason ->
          assertThat(reason).contains("400,000,000 vectors", "MiB"));
      assertThat(hnsw.declines(400_000_000, 384)).as("Lucene keeps its vectors on disk").isEmpty();
    }
  }

  @Test
  void theModelAdapterAnswersOnlyItsOwnTexts() {
    LlmopsIndexSearch.PrecomputedVectors model = new LlmopsIndexSearch.PrecomputedVectors();
    VectorSet base = VECTORS.generate(SyntheticVectors.Draw.BASE, 3);
    model.base = base;
    model.queries.put("q0", base.get(2));

    assertThat(model.embedAll(List.of("v1", "q0")).embeddings()).extracting(e -> e.vector())
        .containsExactly(base.get(1), base.get(2));
    assertThat(model.dimension()).hasValue(384);
    assertThatThrownBy(() -> model.embed("q9")).hasMessageContaining("no precomputed vector for text 'q9'");
  }

  @Test
  void searchingBeforeBuildingIsRefused() {
    try (LlmopsIndexSearch hnsw = new LlmopsIndexSearch(LlmopsIndexSearch.Kind.LUCENE_HNSW, dir, 16, 100, 10)) {
      assertThatThrownBy(() -> hnsw.search(new float[384], 10)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("was not built");
    }
  }
}
