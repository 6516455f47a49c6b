package dev.llmops.inference.quantize;

import java.util.Locale;

/**
 * How closely a rewritten model's outputs follow the original's, as measured by an {@link AgreementCheck}.
 *
 * @param meanCosine the cosine similarity of the outputs, averaged over the samples
 * @param minCosine the worst sample's cosine similarity
 * @param samples how many inputs were compared (at least one)
 * @param threshold the cosine every sample must reach for the check to pass
 */
public record Agreement(double meanCosine, double minCosine, int samples, double threshold) {

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
  }

  /** Whether every sample reached the threshold ({@code minCosine >= threshold}); false when a cosine is NaN. */
  public boolean passed() {
    return minCosine >= threshold;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "min cosine %.5f, mean %.5f over %d samples, threshold %.4f (%s)",
        minCosine, meanCosine, samples, threshold, passed() ? "passed" : "failed");
  }
}
