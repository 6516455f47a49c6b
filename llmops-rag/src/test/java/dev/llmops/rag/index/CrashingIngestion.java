package dev.llmops.rag.index;

import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.test.DeterministicEmbeddingModel;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * Runs in a child JVM: refreshes a Lucene index with a slow embedding model, printing its progress, until the
 * test kills it. Arguments: the index directory and the number of documents.
 */
public final class CrashingIngestion {

  private CrashingIngestion() {}

  /** Entry point of the child JVM. */
  public static void main(String[] args) {
    DeterministicEmbeddingModel fast = DeterministicEmbeddingModel.create();
    EmbeddingModel slow = new EmbeddingModel() {
      @Override
      public EmbeddingResult embedAll(List<String> texts) {
        try {
          Thread.sleep(25);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return fast.embedAll(texts);
      }

      @Override
      public String modelId() {
        return fast.modelId();
      }

      @Override
      public OptionalInt dimension() {
        return fast.dimension();
      }
    };
    try (DocumentIndex index = DocumentIndex.lucene(Path.of(args[0]), LuceneIndexTest.settings(slow, fast).build())) {
      index.refresh(LuceneIndexTest.documents(Integer.parseInt(args[1]), "second"), (docs, chunks, failed) -> {
        System.out.println("progress " + docs);
        System.out.flush();
      });
      System.out.println("finished");
    }
  }
}
