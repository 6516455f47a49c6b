package dev.llmops.core.observe.drift;

/** What a {@link DriftMonitor} compares between its reference window and a current window. */
public enum DriftMetric {
  /**
   * The topic mix of the inputs: shares of the reference's k-means clusters of input embeddings. Statistic: the
   * population stability index; p-value: the chi-square test of homogeneity of the two cluster histograms.
   */
  INPUT_EMBEDDING,
  /**
   * The share of requests a guard blocked. Statistic: the absolute difference of the two rates; p-value: the
   * two-sided pooled two-proportion z-test.
   */
  GUARD_BLOCK_RATE,
  /**
   * The mean grounded fraction of answers (the share of an answer's claims its sources support). Statistic: the
   * absolute difference of the two means; p-value: Welch's two-sided t-test.
   */
  GROUNDED_FRACTION,
  /**
   * The length of answers. Statistic: |A - 1/2|, A the chance that a current answer is longer than a reference one
   * (ties counting half, the Mann-Whitney effect size); p-value: the two-sided Mann-Whitney U test.
   */
  ANSWER_LENGTH
}
