package dev.llmops.core.internal.prompt;

import dev.llmops.core.ConflictException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.prompt.Allocation;
import dev.llmops.core.prompt.Label;
import dev.llmops.core.prompt.LabelChange;
import dev.llmops.core.prompt.LabelMove;
import dev.llmops.core.prompt.PromptDraft;
import dev.llmops.core.prompt.PromptVersion;
import dev.llmops.core.prompt.VariableSpec;
import java.time.Instant;
import java.util.List;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/** The rules every store applies the same way: numbering, no-op creates, label move checks. */
public final class Versions {

  private Versions() {}

  /** The version a store creates for {@code draft} after {@code latest}, or {@code latest} if the content is the same. */
  public static PromptVersion next(@Nullable PromptVersion latest, PromptDraft draft, Instant now) {
    List<VariableSpec> variables = TemplateVariables.declared(draft);
    PromptDraft effective = new PromptDraft(draft.name(), draft.template(), variables, draft.modelConfig(),
        draft.message(), draft.author(), draft.tags());
    if (latest != null && latest.sameContentAs(effective)) {
      return latest;
    }
    int number = latest == null ? 1 : latest.version() + 1;
    return new PromptVersion(draft.name(), number, draft.template(), variables, draft.modelConfig(), draft.message(),
        draft.author(), now, draft.tags());
  }

  /**
   * Checks a move against the label's current state and returns the label and the recorded move after it.
   *
   * @param exists tells whether a version of the prompt exists
   */
  public static Move apply(@Nullable Label current, LabelChange change, IntPredicate exists, Instant now) {
    long revision = current == null ? 0 : current.revision();
    if (revision != change.expectedRevision()) {
      throw new ConflictException("label '" + change.label() + "' of prompt '" + change.prompt() + "' is at revision "
          + revision + " (" + (current == null ? "not assigned" : Allocation.describe(current.allocations()))
          + "), not the expected " + change.expectedRevision() + "; someone moved it first. Read it again and retry.");
    }
    for (Allocation a : change.to()) {
      if (!exists.test(a.version())) {
        throw new NotFoundException("prompt '" + change.prompt() + "' has no version " + a.version()
            + "; label '" + change.label() + "' cannot point at it");
      }
    }
    Label label = new Label(change.prompt(), change.label(), change.to(), revision + 1, change.author(), now);
    LabelMove move = new LabelMove(change.prompt(), change.label(), revision + 1,
        current == null ? List.of() : current.allocations(), change.to(), change.author(), now, change.reason());
    return new Move(label, move);
  }

  /** A label after a move, and the record of the move. */
  public record Move(Label label, LabelMove move) {}
}
