package dev.llmops.inference;

/** What a model does with a text longer than it can take in one sequence. */
public enum OverflowPolicy {
  /**
   * Split the text into overlapping windows and combine them, so every token counts: embeddings average the
   * windows weighted by their token counts (the embedding says {@code CHUNKED}); classifiers score each label by
   * its strongest window.
   */
  CHUNK,
  /** Keep the first window only (an embedding says {@code TRUNCATED}). */
  TRUNCATE,
  /** Refuse the text with an {@code InvalidRequestException} naming its length. */
  FAIL
}
