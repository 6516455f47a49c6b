package dev.llmops.rag.chunk;

import dev.llmops.rag.document.Document;
import java.util.List;

/**
 * Cuts a document into chunks. Implementations are deterministic (the same document and settings give the
 * same chunks, which is what lets a refresh skip unchanged documents) and safe to share across threads.
 */
public interface Chunker {

  /**
   * Cuts {@code document} into chunks, in text order, with ordinals 0, 1, 2, ...
   *
   * @param document the document; its text may be empty, which gives no chunks
   * @return the chunks; each chunk's text is the document text under its span
   */
  List<Chunk> chunk(Document document);

  /**
   * A string that changes whenever this chunker would cut the same document differently (its kind and
   * settings). Indexes store it with each document so that a settings change re-chunks on the next refresh.
   */
  String fingerprint();
}
