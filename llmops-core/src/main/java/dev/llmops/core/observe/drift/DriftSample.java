package dev.llmops.core.observe.drift;

import dev.llmops.core.InvalidRequestException;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one request contributes to drift detection; each part is optional, and a metric uses only the samples that
 * carry its part.
 *
 * <p>Immutable: the embedding is copied in and out. Equality compares the embedding's contents.
 *
 * @param embedding the embedding of the request's input (for {@link DriftMetric#INPUT_EMBEDDING}), or {@code null};
 *     finite values, the same dimension for every sample a monitor sees
 * @param blocked whether a guard blocked the request (for {@link DriftMetric#GUARD_BLOCK_RATE}), or {@code null}
 * @param groundedFraction the answer's grounded fraction in [0, 1] (for {@link DriftMetric#GROUNDED_FRACTION}), or
 *     {@code null}
 * @param answerLength the answer's length, in characters or tokens but always the same unit, not negative (for
 *     {@link DriftMetric#ANSWER_LENGTH}), or {@code null}
 */
public record DriftSample(
    float @Nullable [] embedding, @Nullable Boolean blocked, @Nullable Double groundedFraction,
    @Nullable Integer answerLength) {

  /**
   * Validates the parts and copies the embedding.
   *
   * @throws InvalidRequestException if the embedding is empty or holds a non-finite value, the grounded fraction is
   *     outside [0, 1], or the answer length is negative
   */
  public DriftSample {
    if (embedding != null) {
      if (embedding.length == 0) {
        throw new InvalidRequestException("embedding must not be empty");
      }
      embedding = embedding.clone();
      for (int i = 0; i < embedding.length; i++) {
        if (!Float.isFinite(embedding[i])) {
          throw new InvalidRequestException("embedding[" + i + "] must be finite, was " + embedding[i]);
        }
      }
    }
    if (groundedFraction != null && !(groundedFraction >= 0 && groundedFraction <= 1)) {
      throw new InvalidRequestException("groundedFraction must be in [0, 1], was " + groundedFraction);
    }
    if (answerLength != null && answerLength < 0) {
      throw new InvalidRequestException("answerLength must not be negative, was " + answerLength);
    }
  }

  /** A sample with only the input's embedding. */
  public static DriftSample input(float[] embedding) {
    return new DriftSample(embedding, null, null, null);
  }

  /**
   * A sample with only the output side.
   *
   * @param blocked whether a guard blocked the request
   * @param groundedFraction the grounded fraction, or {@code null} when not measured
   * @param answerLength the answer's length, or {@code null} when there was no answer
   */
  public static DriftSample output(boolean blocked, @Nullable Double groundedFraction, @Nullable Integer answerLength) {
    return new DriftSample(null, blocked, groundedFraction, answerLength);
  }

  /** A copy of the embedding, or {@code null}. */
  @Override
  public float @Nullable [] embedding() {
    return embedding == null ? null : embedding.clone();
  }

  /** The embedding itself, for the monitor, which never modifies it. */
  float @Nullable [] embeddingUnsafe() {
    return embedding;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DriftSample s && Arrays.equals(embedding, s.embedding) && Objects.equals(blocked, s.blocked)
        && Objects.equals(groundedFraction, s.groundedFraction) && Objects.equals(answerLength, s.answerLength);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(embedding), blocked, groundedFraction, answerLength);
  }

  @Override
  public String toString() {
    return "DriftSample[embedding=" + (embedding == null ? "null" : embedding.length + " dims") + ", blocked="
        + blocked + ", groundedFraction=" + groundedFraction + ", answerLength=" + answerLength + "]";
  }
}
