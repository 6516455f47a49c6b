package dev.llmops.core.observe;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.retrieval.RetrievedChunk;

/**
 * One retrieved chunk as lineage records it: its id, its document and the score it was retrieved with. The chunk's
 * text is not recorded (it is in the index snapshot the record names).
 *
 * @param chunkId the chunk's stable id within its index; not blank
 * @param documentId the id of the document the chunk belongs to; not blank
 * @param score the retriever's score; finite
 */
public record ChunkRef(String chunkId, String documentId, double score) {

  /**
   * Validates.
   *
   * @throws InvalidRequestException if an id is blank or the score is not finite
   */
  public ChunkRef {
    if (chunkId.isBlank()) {
      throw new InvalidRequestException("a chunk reference needs a chunk id but got '" + chunkId + "'");
    }
    if (documentId.isBlank()) {
      throw new InvalidRequestException("chunk '" + chunkId + "' needs a document id but got '" + documentId + "'");
    }
    if (!Double.isFinite(score)) {
      throw new InvalidRequestException("chunk '" + chunkId + "' has a score that is not finite: " + score);
    }
  }

  /** The reference to {@code chunk}: its id, its citation's document id and its score. */
  public static ChunkRef of(RetrievedChunk chunk) {
    return new ChunkRef(chunk.chunkId(), chunk.citation().documentId(), chunk.score());
  }

  /** The short form used in diffs: {@code documentId#chunkId}. */
  public String label() {
    return documentId + "#" + chunkId;
  }
}
