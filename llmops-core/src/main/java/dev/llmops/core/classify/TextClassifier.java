package dev.llmops.core.classify;

import java.util.List;

/** Assigns labels to texts. Implementations are safe to share across threads. */
public interface TextClassifier {

  /**
   * Classifies a batch of texts.
   *
   * @param texts the inputs
   * @return one classification per input, in input order
   * @throws dev.llmops.core.LlmOpsException when the classifier failed
   */
  List<Classification> classifyAll(List<String> texts);

  /** Classifies one text. */
  default Classification classify(String text) {
    return classifyAll(List.of(text)).get(0);
  }

  /** The labels this classifier can assign. */
  List<String> labels();
}
