package dev.llmops.guardrails.chain;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import org.jspecify.annotations.Nullable;

/**
 * A finding with the guard that made it, its span mapped back to the text the chain was given (even when an
 * earlier guard in the chain had rewritten the text the finding's guard saw).
 *
 * @param guard the guard's name
 * @param type the finding type
 * @param span the span in the chain's input text, or {@code null} when the finding is about the text as a whole
 * @param score the guard's confidence
 * @param detail the guard's explanation
 */
public record ChainFinding(String guard, String type, @Nullable TextSpan span, double score, String detail) {

  /** The finding without the guard name, as it appears in the chain's verdict. */
  public Finding toFinding() {
    return new Finding(type, span, score, detail);
  }
}
