package dev.llmops.rag.index;

/**
 * Hears an ingestion's progress, for a progress bar or a log line. Called on the ingesting thread; it must be
 * quick and must not call back into the index.
 */
@FunctionalInterface
public interface IngestListener {

  /** A listener that ignores everything. */
  IngestListener NONE = (documents, chunksEmbedded, failed) -> { };

  /**
   * Called after each batch of documents.
   *
   * @param documents documents looked at so far (skipped, ingested or failed)
   * @param chunksEmbedded chunks embedded so far
   * @param failed documents refused so far
   */
  void progress(int documents, int chunksEmbedded, int failed);
}
