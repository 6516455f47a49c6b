package dev.llmops.rag.internal;

import dev.llmops.rag.document.AccessControl;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A chunk as an index stores it: the passage, where it came from, who may see it and its vector.
 *
 * @param documentId the document
 * @param ordinal the chunk's position in the document
 * @param text the passage
 * @param start the first character in the document text
 * @param end one past the last character
 * @param page the 1-based page, or {@code null}
 * @param title the document title
 * @param source the document source
 * @param metadata the document metadata
 * @param access the document access control
 * @param vector the unit-length embedding, or {@code null} in a lexical-only index
 */
public record StoredChunk(
    String documentId, int ordinal, String text, int start, int end, @Nullable Integer page, String title,
    String source, Map<String, String> metadata, AccessControl access, float @Nullable [] vector) {

  /** The chunk id: document id, '#', ordinal. */
  public String chunkId() {
    return documentId + "#" + ordinal;
  }

  /** The text BM25 indexes: the title and the passage. */
  public String lexicalText() {
    return title.isEmpty() ? text : title + "\n" + text;
  }
}
