package dev.llmops.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.retrieval.Citation;
import dev.llmops.core.retrieval.RetrievalQuery;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import dev.llmops.rag.chunk.RecursiveChunker;
import dev.llmops.rag.document.AccessControl;
import dev.llmops.rag.document.Document;
import dev.llmops.rag.document.FolderLoader;
import dev.llmops.rag.document.LoadResult;
import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.Fusion;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.IngestReport;
import dev.llmops.rag.index.SearchMode;
import dev.llmops.rag.index.SearchRequest;
import dev.llmops.rag.index.Snapshot;
import dev.llmops.rag.validate.CorpusValidator;
import dev.llmops.rag.validate.ValidationReport;
import dev.llmops.rag.validate.ValidationThresholds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of site/src/docs/retrieval.md, run against the real all-MiniLM-L6-v2 and a real Lucene index. */
class RetrievalDocTest {

  @TempDir Path dir;

  private Path docsFolder() throws Exception {
    Path docs = dir.resolve("docs");
    Files.createDirectories(docs.resolve("hr"));
    Files.writeString(docs.resolve("handbook.md"), """
        # Expenses

        Travel costs are refunded within 30 days when the receipt is uploaded.

        # Security

        Report a lost laptop to the service desk at once.
        """);
    Files.writeString(docs.resolve("hr/salaries.txt"), "Salary bands are reviewed every April by the HR committee.");
    return docs;
  }

  @Test
  void indexAndSearch() throws Exception {
    Path docsFolder = docsFolder();
    Path indexDir = dir.resolve("index");
    // tag::index[]
    OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(ModelSource.builtIn("all-minilm-l6-v2")).build();
    IndexSettings settings = IndexSettings.builder()
        .embeddingModel(model)
        .chunker(RecursiveChunker.builder(model.tokenCounter())   // chunks measured with the model's tokenizer
            .maxTokens(254).overlapTokens(32).build())
        .fusion(Fusion.reciprocalRank())                           // or Fusion.convex(0.7)
        .retainSnapshots(10)
        .build();
    LoadResult loaded = FolderLoader.builder()                     // .txt .md .html .pdf; ids are relative paths
        .access(path -> path.startsWith("hr") ? AccessControl.tenant("acme").withGroups("hr")
            : AccessControl.tenant("acme"))
        .build()
        .load(docsFolder);
    try (DocumentIndex index = DocumentIndex.lucene(indexDir, settings)) {
      IngestReport report = index.refresh(loaded.documents()); // adds, replaces changed, deletes missing
      System.out.println(report);      // added 2, updated 0, unchanged 0, deleted 0, failed 0, chunks embedded 3, ...
      // end::index[]
      assertThat(report.added()).isEqualTo(2);
      assertThat(report.chunksEmbedded()).isEqualTo(3);
      assertThat(loaded.failures()).isEmpty();
      // tag::search[]
      RetrievalQuery query = RetrievalQuery.builder("when do I get my travel money back?")
          .topK(3)
          .tenant("acme").groups("engineering")                 // enforced inside the index query
          .build();
      List<RetrievedChunk> chunks = index.retrieve(query);       // hybrid: BM25 and vectors, fused
      Citation cite = chunks.get(0).citation();
      System.out.printf("%s (%s, chars %d-%d, snapshot %s): %s%n", cite.documentId(), cite.source(),
          cite.span().start(), cite.span().end(), cite.snapshotId(), chunks.get(0).text());
      List<RetrievedChunk> lexical = index.search(SearchRequest.of(query, SearchMode.BM25));
      // end::search[]
      assertThat(cite.documentId()).isEqualTo("handbook.md");
      assertThat(chunks.get(0).text()).contains("refunded");
      assertThat(chunks).noneMatch(c -> c.citation().documentId().startsWith("hr/"));
      assertThat(lexical).isNotEmpty();
    } finally {
      model.close();
    }
  }

  @Test
  void snapshotsAndRollback() {
    DocumentIndex index = DocumentIndex.inMemory(IndexSettings.builder().build()); // BM25 only: no model needed
    index.upsert(List.of(Document.of("policy", "Refunds take 30 days.")));
    // tag::snapshots[]
    String before = index.currentSnapshot().orElseThrow().id();
    index.upsert(List.of(Document.of("policy", "Refunds take 90 days.")));  // a bad edit ships

    RetrievalQuery pinned = RetrievalQuery.builder("refund days").snapshot(before).build();
    List<RetrievedChunk> old = index.retrieve(pinned);                      // reads the earlier snapshot

    Snapshot current = index.rollback(before);                             // one call, no re-indexing
    List<Snapshot> kept = index.snapshots();                               // newest first, the last 10 by default
    // end::snapshots[]
    assertThat(old.get(0).text()).contains("30 days");
    assertThat(current.id()).isEqualTo(before);
    assertThat(index.retrieve(RetrievalQuery.of("refund days", 1)).get(0).text()).contains("30 days");
    assertThat(kept).hasSize(2);
    index.close();
  }

  @Test
  void validate() {
    List<Document> documents = List.of(Document.of("a", "The quick brown fox jumps over the lazy dog."),
        Document.of("b", "The quick brown fox jumps over the lazy dog."), Document.of("c", ""));
    // tag::validate[]
    ValidationReport report = CorpusValidator.builder()
        .thresholds(ValidationThresholds.defaults().toBuilder()
            .maxNearDuplicateShare(0.02)
            .allowedLanguages(Set.of("en"))
            .build())
        .build()
        .validate(documents);
    if (!report.passed()) {
      report.violations().forEach(System.err::println);  // "exact duplicates: 33.3% of documents (1 of 3) exceeds ..."
    }
    // end::validate[]
    assertThat(report.passed()).isFalse();
    assertThat(report.violations()).anyMatch(v -> v.startsWith("exact duplicates"));
  }
}
