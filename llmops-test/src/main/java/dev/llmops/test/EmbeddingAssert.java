package dev.llmops.test;

import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.InputHandling;
import org.assertj.core.api.AbstractAssert;

/** Assertions on an {@link Embedding}; start with {@link LlmOpsAssertions#assertThat(Embedding)}. */
public final class EmbeddingAssert extends AbstractAssert<EmbeddingAssert, Embedding> {

  EmbeddingAssert(Embedding actual) {
    super(actual, EmbeddingAssert.class);
  }

  /** The vector has {@code dimension} components. */
  public EmbeddingAssert hasDimension(int dimension) {
    isNotNull();
    if (actual.dimension() != dimension) {
      failWithMessage("Expected dimension %d but was %d", dimension, actual.dimension());
    }
    return this;
  }

  /** The input was handled as {@code handling} (whole, truncated, chunked). */
  public EmbeddingAssert wasHandledAs(InputHandling handling) {
    isNotNull();
    if (actual.handling() != handling) {
      failWithMessage("Expected the input to be %s but it was %s", handling, actual.handling());
    }
    return this;
  }

  /** The cosine similarity with {@code other} is at least {@code min}. */
  public EmbeddingAssert isCloserThan(double min, Embedding other) {
    isNotNull();
    double cosine = actual.cosine(other);
    if (cosine < min) {
      failWithMessage("Expected cosine similarity of at least %s but was %s", min, cosine);
    }
    return this;
  }

  /** The cosine similarity with {@code other} is below {@code max}. */
  public EmbeddingAssert isFurtherThan(double max, Embedding other) {
    isNotNull();
    double cosine = actual.cosine(other);
    if (cosine >= max) {
      failWithMessage("Expected cosine similarity below %s but was %s", max, cosine);
    }
    return this;
  }
}
