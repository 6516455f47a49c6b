package dev.llmops.benchmarks;

import java.io.IOException;
import java.util.Optional;

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

  /**
   * {@link #search(float[], int)} for an approximate index that keeps {@code candidates} nearest candidates during
   * its graph search (HNSW's beam, {@code ef}); more candidates cost time and find more of the true top k. An exact
   * subject has no such setting, and by default it is ignored.
   */
  default int[] search(float[] query, int k, int candidates) {
    return search(query, k);
  }

  /**
   * Whether this subject has a candidate count to measure at several values ({@code --candidates}); then one build is
   * measured once per value, each a row of its own. False by default.
   */
  default boolean tunesCandidates() {
    return false;
  }

  /**
   * Why this subject cannot index {@code count} vectors of {@code dimension} in this JVM (typically: not enough heap
   * left), or empty when it can. Asked before {@link #build}; a subject that declines is reported as skipped.
   */
  default Optional<String> declines(int count, int dimension) {
    return Optional.empty();
  }

  /** Frees what the index holds. */
  @Override
  void close();
}
