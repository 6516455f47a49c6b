package dev.llmops.benchmarks;

/**
 * Vectors of one dimension, one {@code float[]} each; vector {@code i} has id {@code i}. The arrays are held as given,
 * not copied, so several libraries under test can share them (1,000,000 x 384 floats take 1.55 GB once): nothing may
 * modify them.
 */
final class VectorSet {

  private final int dimension;
  private final float[][] vectors;

  /**
   * @throws IllegalArgumentException when {@code dimension < 1} or a vector has another length
   */
  VectorSet(int dimension, float[][] vectors) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be positive, was " + dimension);
    }
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i].length != dimension) {
        throw new IllegalArgumentException("vector " + i + " has " + vectors[i].length + " dimensions, not "
            + dimension);
      }
    }
    this.dimension = dimension;
    this.vectors = vectors;
  }

  int dimension() {
    return dimension;
  }

  int size() {
    return vectors.length;
  }

  /** Vector {@code id}, not copied. */
  float[] get(int id) {
    return vectors[id];
  }

  /** Bytes the vectors take on the heap: an array header and the floats, per vector. */
  static long heapBytes(long count, int dimension) {
    return count * (16L + 4L * dimension);
  }
}
