package dev.llmops.rag.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.rag.document.Document;
import dev.llmops.test.DeterministicEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecursiveChunkerTest {
  private final DeterministicEmbeddingModel model = DeterministicEmbeddingModel.create();

  @Test
  void debug() {
    String text = "Document 0 is about solar panels convert sunlight. It has the marker m0 and talks at length. "
        + "Filler sentence number 0 keeps going for a while. ".repeat(3);
    RecursiveChunker chunker = RecursiveChunker.builder(model.tokenCounter()).maxTokens(40).overlapTokens(8).build();
    List<Chunk> chunks = chunker.chunk(Document.builder("d0", text).title("Title of d0").build());
    chunks.forEach(System.out::println);
    assertThat(chunks).hasSizeGreaterThan(1);
  }
}
