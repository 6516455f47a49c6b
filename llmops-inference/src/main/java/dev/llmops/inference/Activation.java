package dev.llmops.inference;

/** How a classifier's or cross-encoder's logits become scores. */
public enum Activation {
  /** Scores sum to one across labels: single-label classification. */
  SOFTMAX,
  /** Each score in [0, 1] on its own: multi-label classification, or the relevance of a cross-encoder. */
  SIGMOID,
  /** The raw logit (only for cross-encoder scores, which need not be probabilities). */
  NONE
}
