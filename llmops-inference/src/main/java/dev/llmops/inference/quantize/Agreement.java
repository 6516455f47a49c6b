package dev.llmops.inference.quantize;

import java.util.Locale;

/**
 * How closely a rewritten model's outputs follow the original's, as measured by an {@link AgreementCheck}.
 *
 * @param meanCosine the cosine similarity of the outputs, averaged over the samples
 * @param minCosine the worst sample's cosine similarity
 * @param samples how many inputs were compared (at least one)
 * @param threshold the cosine the check must reach
 * @param criterion whether every sample ({@link Criterion#MIN}) or the average ({@link Criterion#MEAN}) must reach
 *     the threshold
 */
public record Agreement(double meanCosine, double minCosine, int samples, double threshold, Criterion criterion) {

  /** What must reach the threshold. */
  public enum Criterion {
    /** The worst sample: every sample must agree. */
    MIN,
    /** The average over the samples, as for embeddings of sample texts ("mean cosine at least 0.99"). */
    MEAN
  }

  /** An agreement judged on its worst sample ({@link Criterion#MIN}). */
  public Agreement(double meanCosine, double minCosine, int samples, double threshold) {
    this(meanCosine, minCosine, samples, threshold, Criterion.MIN);
  }

  /**
   * Checks the sample count and threshold.
   *
   * @throws IllegalArgumentException when {@code samples} is below one or {@code threshold} is not a finite number
   */
  public Agreement {
    if (samples < 1) {
      throw new IllegalArgumentException("an agreement needs at least one sample, got " + samples);
    }
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("the agreement threshold must be a finite number, got " + threshold);
    }
    java.util.Objects.requireNonNull(criterion, "criterion");
  }

  /** Whether the criterion's cosine reached the threshold; false when a cosine is NaN. */
  public boolean passed() {
    return (criterion == Criterion.MIN ? minCosine : meanCosine) >= threshold;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "min cosine %.5f, mean %.5f over %d samples, %s threshold %.5f (%s)",
        minCosine, meanCosine, samples, criterion == Criterion.MIN ? "min" : "mean", threshold,
        passed() ? "passed" : "failed");
  }
}
