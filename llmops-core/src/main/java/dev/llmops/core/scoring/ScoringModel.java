package dev.llmops.core.scoring;

import java.util.List;

/**
 * Scores how relevant each passage is to a query (a cross-encoder). Higher is more relevant; scores are
 * comparable within one call and, for a given model, across calls. Safe to share across threads.
 */
public interface ScoringModel {

  /**
   * Scores passages against a query.
   *
   * @param query the query
   * @param passages the candidates
   * @return one score per passage, in passage order
   * @throws dev.llmops.core.LlmOpsException when the model failed
   */
  List<Double> score(String query, List<String> passages);

  /** The model's id, as recorded in lineage. */
  String modelId();
}
