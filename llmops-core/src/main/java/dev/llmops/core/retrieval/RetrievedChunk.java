package dev.llmops.core.retrieval;

import java.util.Map;
import java.util.Objects;

/**
 * A passage returned by a {@link Retriever}.
 *
 * @param chunkId the chunk's stable id within its index
 * @param text the passage
 * @param score the retriever's relevance score; higher is better, comparable within one result list
 * @param citation where the passage came from
 * @param metadata the document's metadata fields
 */
public record RetrievedChunk(String chunkId, String text, double score, Citation citation, Map<String, String> metadata) {

  /** Validates and copies. */
  public RetrievedChunk {
    if (chunkId.isBlank()) {
      throw new IllegalArgumentException("a retrieved chunk needs an id");
    }
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(citation, "citation");
    metadata = Map.copyOf(metadata);
  }
}
