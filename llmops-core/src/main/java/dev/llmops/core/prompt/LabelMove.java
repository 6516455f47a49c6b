package dev.llmops.core.prompt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One recorded move of a label.
 *
 * @param prompt the prompt's name
 * @param label the label
 * @param revision the label's revision after the move
 * @param from what it pointed at before; empty for its first assignment
 * @param to what it points at after
 * @param author who moved it
 * @param at when
 * @param reason why
 */
public record LabelMove(
    String prompt, String label, long revision, List<Allocation> from, List<Allocation> to, String author, Instant at,
    String reason) {

  /** Validates and copies. */
  public LabelMove {
    from = List.copyOf(from);
    to = List.copyOf(to);
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return prompt + ":" + label + " r" + revision + " " + Allocation.describe(from) + " -> " + Allocation.describe(to)
        + " by " + author + " at " + at + (reason.isEmpty() ? "" : " (" + reason + ")");
  }
}
