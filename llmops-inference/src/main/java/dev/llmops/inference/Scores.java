package dev.llmops.inference;

/** Numerically safe activations shared by the classifier and the cross-encoder. */
final class Scores {
  private Scores() {}

  static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }
}
