package dev.llmops.guardrails.injection;

import java.util.Objects;

/**
 * One training example for an {@link InjectionClassifier}.
 *
 * @param text the text
 * @param injection whether it is a prompt injection or jailbreak ({@code false}: benign)
 */
public record LabelledText(String text, boolean injection) {

  /** Validates the text. */
  public LabelledText {
    Objects.requireNonNull(text, "text");
  }

  /** An injection example. */
  public static LabelledText injection(String text) {
    return new LabelledText(text, true);
  }

  /** A benign example. */
  public static LabelledText benign(String text) {
    return new LabelledText(text, false);
  }
}
