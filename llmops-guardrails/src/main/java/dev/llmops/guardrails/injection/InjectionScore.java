package dev.llmops.guardrails.injection;

import dev.llmops.core.guard.Finding;
import java.util.List;
import java.util.OptionalDouble;

/**
 * How {@link InjectionGuard} scored one text.
 *
 * @param risk the combined risk, the highest of the three scores below, in {@code [0, 1]}
 * @param ruleScore the rules' noisy-or score ({@link InjectionRules#combinedScore(List)}); 0 when rules are off
 * @param classifierScore the embedding classifier's probability, when the guard has an embedding model
 * @param externalScore the user-supplied text classifier's score for its injection label, when configured
 * @param threshold the guard's threshold
 * @param findings the rule findings, plus one whole-text finding per model score at or above its threshold
 */
public record InjectionScore(double risk, double ruleScore, OptionalDouble classifierScore,
    OptionalDouble externalScore, double threshold, List<Finding> findings) {

  /** Copies the findings. */
  public InjectionScore {
    findings = List.copyOf(findings);
  }

  /** Whether the risk reaches the threshold. */
  public boolean injection() {
    return risk >= threshold;
  }
}
