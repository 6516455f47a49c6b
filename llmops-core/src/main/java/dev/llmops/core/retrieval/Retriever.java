package dev.llmops.core.retrieval;

import java.util.List;

/** Finds the passages most relevant to a query that the caller may see. Safe to share across threads. */
public interface Retriever {

  /**
   * Retrieves chunks, best first.
   *
   * @param query the query, the caller's access scope and optionally a pinned snapshot
   * @return at most {@code query.topK()} chunks the caller may see, by descending score
   * @throws dev.llmops.core.NotFoundException if a pinned snapshot does not exist
   * @throws dev.llmops.core.LlmOpsException when retrieval failed
   */
  List<RetrievedChunk> retrieve(RetrievalQuery query);
}
