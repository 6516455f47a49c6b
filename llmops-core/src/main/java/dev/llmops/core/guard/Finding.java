package dev.llmops.core.guard;

import dev.llmops.core.TextSpan;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One thing a guard found.
 *
 * @param type what was found, such as {@code EMAIL_ADDRESS}, {@code INSTRUCTION_OVERRIDE}, {@code AWS_KEY}
 * @param span where in the inspected text, or {@code null} when the finding is about the text as a whole
 * @param score the guard's confidence, in {@code [0, 1]}
 * @param detail a short explanation for operators; never contains the matched secret or PII itself
 */
public record Finding(String type, @Nullable TextSpan span, double score, String detail) {

  /** Validates the fields. */
  public Finding {
    if (type.isBlank()) {
      throw new IllegalArgumentException("a finding needs a type");
    }
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("finding score must be in [0, 1] but was " + score);
    }
    Objects.requireNonNull(detail, "detail");
  }
}
