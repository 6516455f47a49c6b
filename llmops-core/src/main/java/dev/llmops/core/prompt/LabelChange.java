package dev.llmops.core.prompt;

import java.util.List;

/**
 * A request to move a label, checked against the revision the caller last saw (optimistic concurrency).
 *
 * @param prompt the prompt's name
 * @param label the label
 * @param to the versions and shares to point at
 * @param expectedRevision the label's current revision as the caller saw it; 0 if the label must not exist yet
 * @param author who moves it
 * @param reason why
 */
public record LabelChange(String prompt, String label, List<Allocation> to, long expectedRevision, String author,
    String reason) {

  /** Validates and normalises. */
  public LabelChange {
    PromptNames.checkPrompt(prompt);
    PromptNames.checkLabel(label);
    to = Allocation.normalise(to);
    if (expectedRevision < 0) {
      throw new IllegalArgumentException("expected revision must be 0 (new label) or more but was " + expectedRevision);
    }
    PromptNames.checkText("the author", author);
    if (author.isBlank()) {
      throw new dev.llmops.core.InvalidRequestException("a label move needs an author");
    }
    PromptNames.checkText("the reason", reason);
  }
}
