package dev.llmops.benchmarks;

import java.io.IOException;

/**
 * One library in the vector-search comparison ({@link VectorSearch}): it indexes the base vectors once, then
 * answers top-k queries by dot product, which for the unit-length vectors used is cosine order. Putting another
 * index in the comparison takes one class implementing this and one entry in {@link VectorSearch#LIBRARIES}.
 *
 * <p>Used from one thread: {@code build}, then {@code search} any number of times, then {@code close}.
 */
interface VectorSearchSubject extends AutoCloseable {

  /** The name in the report's library column. */
  String name();

  /**
   * Indexes every vector of {@code base}, vector {@code i} under id {@code i}. Called once, before any search; the
   * time it takes is reported as build time. The vectors may be kept by reference; they are never modified.
   *
   * @throws IOException when the index cannot be written
   */
  void build(VectorSet base) throws IOException;

  /**
   * The ids of at most {@code k} base vectors nearest to {@code query} (highest dot product first). An approximate
   * index may return other ids than exact search does; recall is measured against {@link ExactSearch}.
   */
  int[] search(float[] query, int k);

  /** Frees what the index holds. */
  @Override
  void close();
}
