package dev.llmops.rag.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.ConflictException;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.retrieval.RetrievalQuery;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.rag.chunk.RecursiveChunker;
import dev.llmops.rag.document.Document;
import dev.llmops.test.DeterministicEmbeddingModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the on-disk index does: persistence, exclusivity, crash safety. */
class LuceneIndexTest {

  @TempDir Path dir;
  private final DeterministicEmbeddingModel model = DeterministicEmbeddingModel.create();

  static IndexSettings.Builder settings(EmbeddingModel embeddings, DeterministicEmbeddingModel counter) {
    return IndexSettings.builder().embeddingModel(embeddings).checkpointEvery(10).embeddingBatchSize(4)
        .chunker(RecursiveChunker.builder(counter.tokenCounter()).maxTokens(24).overlapTokens(4).build());
  }

  static List<Document> documents(int n, String edition) {
    return IntStream.range(0, n).mapToObj(i -> Document.builder("doc-" + i,
            "The " + edition + " edition of document " + i + " explains topic t" + i + ". "
                + "It continues with a second sentence about the same subject. And a third one closes it.")
            .title("Doc " + i).build())
        .toList();
  }

  @Test
  void snapshotsAndContentSurviveAReopen() {
    Path path = dir.resolve("idx");
    String first;
    String second;
    try (DocumentIndex index = DocumentIndex.lucene(path, settings(model, model).build())) {
      first = index.upsert(documents(5, "first")).snapshotId();
      second = index.upsert(documents(8, "second")).snapshotId();
      index.rollback(first);
    }
    try (DocumentIndex index = DocumentIndex.lucene(path, settings(model, model).build())) {
      assertThat(index.currentSnapshot().orElseThrow().id()).isEqualTo(first);
      assertThat(index.snapshots()).extracting(Snapshot::id).containsExactly(second, first);
      assertThat(index.documentIds()).hasSize(5);
      assertThat(index.retrieve(RetrievalQuery.of("topic t3", 1)).get(0).text()).contains("first edition");
      RetrievedChunk pinned = index.search(SearchRequest.of(
          RetrievalQuery.builder("topic t7").topK(1).snapshot(second).build(), SearchMode.DENSE)).get(0);
      assertThat(pinned.text()).contains("document 7");
      // Nothing changed since the reopen: skipped without embedding.
      long before = model.textCount();
      IngestReport again = index.upsert(documents(5, "first"));
      assertThat(again.unchanged()).isEqualTo(5);
      assertThat(model.textCount()).isEqualTo(before);
    }
  }

  @Test
  void oneIndexDirectoryHasOneWriter() {
    Path path = dir.resolve("idx");
    try (DocumentIndex index = DocumentIndex.lucene(path, settings(model, model).build())) {
      index.upsert(documents(1, "x"));
      assertThatThrownBy(() -> DocumentIndex.lucene(path, settings(model, model).build()))
          .isInstanceOf(ConflictException.class).hasMessageContaining(path.toString());
    }
  }

  @Test
  void anIndexRefusesAnotherModelOrAnalysis() {
    Path path = dir.resolve("idx");
    try (DocumentIndex index = DocumentIndex.lucene(path, settings(model, model).build())) {
      index.upsert(documents(2, "x"));
    }
    DeterministicEmbeddingModel other = DeterministicEmbeddingModel.builder().modelId("other-model").build();
    assertThatThrownBy(() -> DocumentIndex.lucene(path, settings(other, other).build()))
        .isInstanceOf(ConflictException.class).hasMessageContaining("other-model");
    assertThatThrownBy(() -> DocumentIndex.lucene(path, settings(model, model).analysis(TextAnalysis.STANDARD).build()))
        .isInstanceOf(ConflictException.class).hasMessageContaining("STANDARD");
    // The refusals released the directory.
    try (DocumentIndex index = DocumentIndex.lucene(path, settings(model, model).build())) {
      assertThat(index.documentIds()).hasSize(2);
    }
  }

  @Test
  void aDirectoryWithOtherFilesIsNotTakenOver() throws IOException {
    Path path = dir.resolve("notes");
    Files.createDirectories(path);
    Files.writeString(path.resolve("todo.txt"), "mine");
    assertThatThrownBy(() -> DocumentIndex.lucene(path, settings(model, model).build()))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("holds no llmops index");
    assertThat(Files.readString(path.resolve("todo.txt"))).isEqualTo("mine");
  }

  @Test
  void aDamagedIndexIsNamed() throws IOException {
    Path path = dir.resolve("idx");
    try (DocumentIndex index = DocumentIndex.lucene(path, settings(model, model).build())) {
      index.upsert(documents(3, "x"));
    }
    try (var files = Files.list(path)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("segments_")).toList()) {
        Files.write(f, new byte[] {1, 2, 3});
      }
    }
    assertThatThrownBy(() -> DocumentIndex.lucene(path, settings(model, model).build()))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining(path.toString());
  }

  @Test
  void aFiftyMegabyteDocumentFailsAloneWithTheDefaultLimit() {
    List<Document> docs = new ArrayList<>(documents(3, "small"));
    docs.add(1, Document.of("huge", "x".repeat(50_000_000)));
    try (DocumentIndex index = DocumentIndex.lucene(dir.resolve("idx"),
        IndexSettings.from(settings(model, model).build()).maxDocumentChars(10_000_000).build())) {
      IngestReport report = index.upsert(docs);
      assertThat(report.added()).isEqualTo(3);
      assertThat(report.failures()).singleElement().satisfies(f -> {
        assertThat(f.documentId()).isEqualTo("huge");
        assertThat(f.reason()).contains("50000000 characters").contains("maxDocumentChars");
      });
      assertThat(index.documentIds()).containsExactlyInAnyOrder("doc-0", "doc-1", "doc-2");
    }
  }

  @Test
  void anInterruptedIngestionLeavesAnIndexThatStillWorks() {
    DeterministicEmbeddingModel inner = model;
    java.util.concurrent.atomic.AtomicInteger armed = new java.util.concurrent.atomic.AtomicInteger(-1);
    EmbeddingModel interrupting = new EmbeddingModel() {
      @Override
      public dev.llmops.core.embedding.EmbeddingResult embedAll(List<String> texts) {
        if (armed.get() >= 0 && armed.incrementAndGet() == 30) {
          Thread.currentThread().interrupt(); // as a caller cancelling the ingesting thread would
        }
        return inner.embedAll(texts);
      }

      @Override
      public String modelId() {
        return inner.modelId();
      }
    };
    Path path = dir.resolve("idx");
    try (DocumentIndex index = DocumentIndex.lucene(path, settings(interrupting, model).build())) {
      String before = index.upsert(documents(5, "first")).snapshotId();
      armed.set(0);
      try {
        index.upsert(documents(200, "second"));
      } catch (RuntimeException expected) {
        // Lucene's channels close on interrupt; the ingestion fails, the index must not
      } finally {
        Thread.interrupted();
      }
      armed.set(-1);
      assertThat(index.currentSnapshot().orElseThrow().id()).isNotNull();
      IngestReport again = index.upsert(documents(200, "second"));
      assertThat(again.failures()).isEmpty();
      assertThat(index.documentIds()).hasSize(200);
      assertThat(index.snapshots()).extracting(Snapshot::id).contains(before);
    }
  }

  @Test
  void quantizedVectorsSearchTheSame() {
    try (DocumentIndex plain = DocumentIndex.lucene(dir.resolve("f32"), settings(model, model).build());
        DocumentIndex int8 = DocumentIndex.lucene(dir.resolve("i8"),
            settings(model, model).quantizeVectors(true).build())) {
      plain.upsert(documents(60, "q"));
      int8.upsert(documents(60, "q"));
      int agree = 0;
      int exact = 0;
      for (int i = 0; i < 60; i += 3) {
        RetrievalQuery query = RetrievalQuery.of(documents(60, "q").get(i).text(), 1);
        String a = plain.search(SearchRequest.of(query, SearchMode.DENSE)).get(0).citation().documentId();
        String b = int8.search(SearchRequest.of(query, SearchMode.DENSE)).get(0).citation().documentId();
        exact += a.equals("doc-" + i) ? 1 : 0;
        agree += a.equals(b) ? 1 : 0;
      }
      assertThat(exact).isGreaterThanOrEqualTo(18);
      assertThat(agree).isGreaterThanOrEqualTo(18);
    }
  }

  @Test
  void aKilledIngestionLeavesTheSnapshotIntactAndTheNextRunResumes() throws Exception {
    Path path = dir.resolve("idx");
    String before;
    try (DocumentIndex index = DocumentIndex.lucene(path, settings(model, model).build())) {
      before = index.refresh(documents(20, "first")).snapshotId();
    }
    int total = 300;
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CrashingIngestion.class.getName(), path.toString(),
        Integer.toString(total))
        .redirectErrorStream(true).start();
    int seen = 0;
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.startsWith("progress ")) {
          seen = Integer.parseInt(line.substring(9));
          if (seen >= 120) {
            child.destroyForcibly();
            break;
          }
        }
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).as("child output: %s", lines).isGreaterThanOrEqualTo(120);
    assertThat(lines).doesNotContain("finished");

    try (DocumentIndex index = DocumentIndex.lucene(path, settings(model, model).build())) {
      assertThat(index.currentSnapshot().orElseThrow().id()).isEqualTo(before);
      assertThat(index.documentIds()).hasSize(20);
      assertThat(index.retrieve(RetrievalQuery.of("topic t4", 1)).get(0).text()).contains("first edition");

      IngestReport resumed = index.refresh(documents(total, "second"));

      int allChunks = documents(total, "second").stream()
          .mapToInt(d -> settings(model, model).build().chunker().chunk(d).size()).sum();
      assertThat(resumed.chunksEmbedded()).as("the killed run's checkpointed documents are not embedded again")
          .isLessThan(allChunks * 2 / 3);
      // Counted against the snapshot that was current: 20 changed documents, the rest new.
      assertThat(resumed.updated()).isEqualTo(20);
      assertThat(resumed.added()).isEqualTo(total - 20);
      assertThat(resumed.unchanged()).isZero();
      assertThat(index.documentIds()).hasSize(total);
      assertThat(index.retrieve(RetrievalQuery.of("topic t4", 1)).get(0).text()).contains("second edition");
      assertThat(index.currentSnapshot().orElseThrow().parentId()).isEqualTo(before);
    }
  }

  @Test
  void theCheckpointOfAFirstIngestionThatFailedRecordsTheModel() {
    Path path = dir.resolve("idx");
    AtomicInteger calls = new AtomicInteger();
    EmbeddingModel flaky = new EmbeddingModel() {
      @Override
      public EmbeddingResult embedAll(List<String> texts) {
        if (calls.incrementAndGet() > 20) {
          throw new UnavailableException("the embedding service is down");
        }
        return model.embedAll(texts);
      }

      @Override
      public String modelId() {
        return model.modelId();
      }
    };
    try (DocumentIndex index = DocumentIndex.lucene(path, settings(flaky, model).build())) {
      assertThatThrownBy(() -> index.upsert(documents(100, "first"))).isInstanceOf(UnavailableException.class);
      assertThat(index.currentSnapshot()).isEmpty();
    }
    // The checkpoint holds vectors of the first model: another one must be refused, as for a committed index.
    DeterministicEmbeddingModel other = DeterministicEmbeddingModel.builder().modelId("other-model").dimension(64).build();
    assertThatThrownBy(() -> DocumentIndex.lucene(path, settings(other, other).build()))
        .isInstanceOf(ConflictException.class).hasMessageContaining("other-model");
    try (DocumentIndex index = DocumentIndex.lucene(path, settings(model, model).build())) {
      IngestReport resumed = index.upsert(documents(100, "first"));
      int allChunks = documents(100, "first").stream()
          .mapToInt(d -> settings(model, model).build().chunker().chunk(d).size()).sum();
      assertThat(resumed.chunksEmbedded()).as("checkpointed documents are not embedded again").isLessThan(allChunks);
      assertThat(resumed.added()).isEqualTo(100);
      assertThat(resumed.unchanged()).isZero();
      assertThat(index.search(SearchRequest.of(RetrievalQuery.of("topic t42", 1), SearchMode.DENSE)).get(0).text())
          .contains("document 42");
    }
  }

  @Test
  void aQueryWithMoreDistinctTermsThanLuceneSearchesKeepsRoomForTheFilters() {
    try (DocumentIndex index = DocumentIndex.lucene(dir.resolve("idx"), settings(model, model).build())) {
      index.upsert(documents(3, "x"));
      // 1,500 distinct terms and three metadata filters: the terms kept leave room for the filters' clauses.
      String huge = IntStream.range(0, 1_500).mapToObj(i -> "term" + i).collect(java.util.stream.Collectors.joining(" "));
      RetrievalQuery query = RetrievalQuery.builder(huge).topK(3)
          .filter("a", "1").filter("b", "2").filter("c", "3").build();
      assertThat(index.search(SearchRequest.of(query, SearchMode.BM25))).isEmpty();
    }
  }

  @Test
  void vectorsWiderThanLucenesDefaultLimitAreIndexed() {
    // OpenAI's text-embedding-3 models have 1,536 and 3,072 dimensions; Lucene's HNSW formats stop at 1,024 by default.
    DeterministicEmbeddingModel wide = DeterministicEmbeddingModel.builder().modelId("wide").dimension(3_072).build();
    for (boolean quantize : List.of(false, true)) {
      Path path = dir.resolve("wide-" + quantize);
      try (DocumentIndex index = DocumentIndex.lucene(path, settings(wide, wide).quantizeVectors(quantize).build())) {
        IngestReport report = index.upsert(documents(20, "wide"));
        assertThat(report.failures()).isEmpty();
        assertThat(report.added()).isEqualTo(20);
      }
      try (DocumentIndex index = DocumentIndex.lucene(path, settings(wide, wide).quantizeVectors(quantize).build())) {
        assertThat(index.search(SearchRequest.of(RetrievalQuery.of("topic t13", 1), SearchMode.DENSE)).get(0).text())
            .contains("document 13");
        assertThat(index.upsert(documents(25, "wide")).added()).isEqualTo(5);
      }
    }
  }
}
