package dev.llmops.rag.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.ConflictException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.retrieval.RetrievalQuery;
import dev.llmops.rag.document.Document;
import dev.llmops.test.DeterministicEmbeddingModel;
import dev.llmops.test.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Searching a Lucene index that a writer keeps changing, without its lock. */
class ReadOnlyIndexTest {

  @TempDir Path dir;
  private final DeterministicEmbeddingModel model = DeterministicEmbeddingModel.create();
  private final FakeClock clock = FakeClock.create();

  private IndexSettings settings(int retain) {
    return LuceneIndexTest.settings(model, model).clock(clock).retainSnapshots(retain).build();
  }

  private static String top(SearchIndex index, String text) {
    return index.search(SearchRequest.of(RetrievalQuery.of(text, 1), SearchMode.BM25)).get(0).text();
  }

  @Test
  void readersFollowTheWriterWithinASecondAndNeverBlockIt() {
    Path path = dir.resolve("idx");
    try (DocumentIndex writer = DocumentIndex.lucene(path, settings(2))) {
      String first = writer.upsert(List.of(Document.of("policy", "refunds take 30 days"))).snapshotId();
      try (SearchIndex reader = SearchIndex.luceneReadOnly(path, settings(2));
          SearchIndex another = SearchIndex.luceneReadOnly(path, settings(2))) {
        assertThat(top(reader, "refunds")).contains("30 days");

        String second = writer.upsert(List.of(Document.of("policy", "refunds take 90 days"))).snapshotId();
        assertThat(top(reader, "refunds")).as("within the second").contains("30 days");
        clock.advance(Duration.ofMillis(1_001));
        assertThat(top(reader, "refunds")).contains("90 days");
        assertThat(reader.currentSnapshot().orElseThrow().id()).isEqualTo(second);
        assertThat(top(another, "refunds")).contains("90 days");

        RetrievalQuery pinned = RetrievalQuery.builder("refunds").topK(1).snapshot(first).build();
        assertThat(reader.retrieve(pinned).get(0).text()).contains("30 days");

        writer.rollback(first);
        clock.advance(Duration.ofMillis(1_001));
        assertThat(top(reader, "refunds")).contains("30 days");

        // The writer stops retaining the first snapshot; the readers let it go too.
        writer.upsert(List.of(Document.of("other", "a")));
        writer.upsert(List.of(Document.of("other", "b")));
        clock.advance(Duration.ofMillis(1_001));
        assertThat(reader.snapshots()).extracting(Snapshot::id).doesNotContain(first);
        assertThatThrownBy(() -> reader.retrieve(pinned)).isInstanceOf(NotFoundException.class);
        assertThat(reader.documentIds()).containsExactlyInAnyOrder("policy", "other");
      }
    }
  }

  @Test
  void aReaderNeedsAnIndexBuiltWithItsModel() throws Exception {
    Path empty = dir.resolve("empty");
    Files.createDirectories(empty);
    assertThatThrownBy(() -> SearchIndex.luceneReadOnly(empty, settings(2))).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("holds no index");
    assertThatThrownBy(() -> SearchIndex.luceneReadOnly(dir.resolve("missing"), settings(2)))
        .isInstanceOf(NotFoundException.class);
    Path path = dir.resolve("idx");
    try (DocumentIndex writer = DocumentIndex.lucene(path, settings(2))) {
      writer.upsert(List.of(Document.of("a", "text")));
    }
    DeterministicEmbeddingModel other = DeterministicEmbeddingModel.builder().modelId("other").build();
    assertThatThrownBy(() -> SearchIndex.luceneReadOnly(path,
        LuceneIndexTest.settings(other, other).build())).isInstanceOf(ConflictException.class);
    assertThat(Files.exists(path.resolve("write.lock"))).isTrue();
    try (SearchIndex reader = SearchIndex.luceneReadOnly(path, settings(2));
        DocumentIndex writer = DocumentIndex.lucene(path, settings(2))) {
      assertThat(reader.documentIds()).containsExactly("a");
      assertThat(writer.documentIds()).containsExactly("a");
    }
  }
}
