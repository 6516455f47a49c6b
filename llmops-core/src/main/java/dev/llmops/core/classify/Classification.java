package dev.llmops.core.classify;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The scores of every label for one input, highest first.
 *
 * @param scores one per label, sorted by descending score
 */
public record Classification(List<LabelScore> scores) {

  /** Copies and sorts the scores. */
  public Classification {
    if (scores.isEmpty()) {
      throw new IllegalArgumentException("a classification needs at least one label score");
    }
    scores = scores.stream().sorted(Comparator.comparingDouble(LabelScore::score).reversed()).toList();
  }

  /** The most likely label. */
  public LabelScore top() {
    return scores.get(0);
  }

  /** The score of {@code label}, if the classifier knows it. */
  public OptionalDouble score(String label) {
    return scores.stream().filter(s -> s.label().equals(label)).mapToDouble(LabelScore::score).findFirst();
  }
}
