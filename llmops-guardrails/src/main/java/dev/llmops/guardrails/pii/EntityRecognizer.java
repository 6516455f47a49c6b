package dev.llmops.guardrails.pii;

import java.util.List;

/**
 * A pluggable recognizer for entities that patterns cannot find, such as {@code PERSON} and {@code LOCATION}
 * from a token-classification (NER) model. {@link PiiGuard} merges its matches with those of the built-in
 * recognizers and resolves overlaps the same way for all of them.
 *
 * <p>Implementations must be safe to call from many threads. A match whose span does not lie inside the text,
 * or whose type the guard was not configured for, is ignored by the guard.
 */
@FunctionalInterface
public interface EntityRecognizer {

  /**
   * Finds entities in {@code text}.
   *
   * @param text the text to inspect
   * @return the matches, with UTF-16 offsets into {@code text}, in any order; empty when there are none
   * @throws dev.llmops.core.LlmOpsException when the model itself failed
   */
  List<PiiMatch> recognize(String text);
}
