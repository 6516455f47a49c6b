package dev.llmops.guardrails.injection;

/**
 * How {@link InjectionClassifier#train} fits its logistic regression. Training is deterministic: full-batch
 * Newton iterations (iteratively reweighted least squares) with step halving, from zero weights, so the same
 * embeddings and settings give bit-identical weights; there is no random seed to fix.
 *
 * @param l2 the L2 penalty on the weights (not the bias), on the mean log-loss scale; {@code > 0}
 * @param ruleFeatures whether the per-signal scores of {@link InjectionRules} are features next to the embedding
 * @param balanced whether classes are weighted inversely to their frequency, so each class counts half
 * @param maxIterations Newton iterations at most; at least 1
 * @param tolerance stop when no weight moves by more than this; {@code > 0}
 * @param windowChars the longest text embedded at once: longer texts are embedded in windows of this many chars
 *     (the classifier is trained on the first window and scores the maximum over windows); at least 100
 * @param maxWindows how many windows of a long text are scored at most (the first ones and the last one);
 *     at least 1
 */
public record TrainingSettings(double l2, boolean ruleFeatures, boolean balanced, int maxIterations, double tolerance,
    int windowChars, int maxWindows) {

  /** Validates the values, naming the bad one. */
  public TrainingSettings {
    if (!(l2 > 0) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException("l2 must be a positive number but was " + l2);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be at least 1 but was " + maxIterations);
    }
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("tolerance must be positive but was " + tolerance);
    }
    if (windowChars < 100) {
      throw new IllegalArgumentException("windowChars must be at least 100 but was " + windowChars);
    }
    if (maxWindows < 1) {
      throw new IllegalArgumentException("maxWindows must be at least 1 but was " + maxWindows);
    }
  }

  /**
   * Default settings: {@code l2 = 1e-2}, rule features on, balanced classes, at most 50 iterations, tolerance
   * {@code 1e-9}, windows of 1,500 chars, at most 8 windows; the settings of the shipped weights.
   * (With {@code l2 = 1e-4} the classifier fits its training sources almost perfectly and transfers worse to
   * unseen sources; see the benchmarks' {@code injection-eval}.)
   */
  public static TrainingSettings defaults() {
    return new TrainingSettings(1e-2, true, true, 50, 1e-9, 1500, 8);
  }

  /** These settings with another L2 penalty. */
  public TrainingSettings withL2(double value) {
    return new TrainingSettings(value, ruleFeatures, balanced, maxIterations, tolerance, windowChars, maxWindows);
  }

  /** These settings with rule features on or off. */
  public TrainingSettings withRuleFeatures(boolean value) {
    return new TrainingSettings(l2, value, balanced, maxIterations, tolerance, windowChars, maxWindows);
  }
}
