package dev.llmops.rag.index;

/** How an index matches a query. */
public enum SearchMode {
  /** Lexical: BM25 over the analysed chunk text and title. */
  BM25,
  /** Semantic: nearest neighbours of the query's embedding. */
  DENSE,
  /** Both, with the two ranked lists fused (see {@link Fusion}). */
  HYBRID
}
