package dev.llmops.core.classify;

/**
 * A label with the classifier's probability for it.
 *
 * @param label the label
 * @param score the probability, in {@code [0, 1]}
 */
public record LabelScore(String label, double score) {

  /** Validates the fields. */
  public LabelScore {
    if (label.isBlank()) {
      throw new IllegalArgumentException("a label must not be blank");
    }
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score of label '" + label + "' must be in [0, 1] but was " + score);
    }
  }
}
