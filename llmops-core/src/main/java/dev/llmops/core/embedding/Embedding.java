package dev.llmops.core.embedding;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The vector of one input, with how it was produced.
 *
 * @param vector the embedding (copied in, and copied out by {@link #vector()}, so it cannot change)
 * @param tokenCount how many tokens the input had before any truncation, or -1 if the provider did not
 *     report it per input (see {@link #tokens()})
 * @param handling whether the input was embedded whole, truncated or chunked
 */
public record Embedding(float[] vector, int tokenCount, InputHandling handling) {

  /** Validates and copies. */
  public Embedding {
    if (vector.length == 0) {
      throw new IllegalArgumentException("an embedding vector must not be empty");
    }
    vector = vector.clone();
    if (tokenCount < -1) {
      throw new IllegalArgumentException("tokenCount must be -1 (unknown) or more but was " + tokenCount);
    }
    Objects.requireNonNull(handling, "handling");
  }

  /** A copy of the vector; use {@link #component(int)} to read single values without copying. */
  @Override
  public float[] vector() {
    return vector.clone();
  }

  /** The value of dimension {@code index}. */
  public float component(int index) {
    return vector[index];
  }

  /** The number of dimensions. */
  public int dimension() {
    return vector.length;
  }

  /** The input's token count, if the provider reported it for this input. */
  public OptionalInt tokens() {
    return tokenCount < 0 ? OptionalInt.empty() : OptionalInt.of(tokenCount);
  }

  /**
   * The cosine similarity with another embedding of the same dimension.
   *
   * @throws IllegalArgumentException if the dimensions differ
   */
  public double cosine(Embedding other) {
    if (other.vector.length != vector.length) {
      throw new IllegalArgumentException(
          "cannot compare embeddings of dimension " + vector.length + " and " + other.vector.length);
    }
    double dot = 0;
    double a = 0;
    double b = 0;
    for (int i = 0; i < vector.length; i++) {
      dot += (double) vector[i] * other.vector[i];
      a += (double) vector[i] * vector[i];
      b += (double) other.vector[i] * other.vector[i];
    }
    return a == 0 || b == 0 ? 0 : dot / Math.sqrt(a * b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embedding e && tokenCount == e.tokenCount && handling == e.handling
        && Arrays.equals(vector, e.vector);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(vector) + tokenCount) + handling.hashCode();
  }

  @Override
  public String toString() {
    return "Embedding[dimension=" + vector.length + ", tokenCount=" + tokenCount + ", handling=" + handling + "]";
  }
}
