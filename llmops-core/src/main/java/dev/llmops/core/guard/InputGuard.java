package dev.llmops.core.guard;

/** Inspects what goes into a model. Safe to share across threads. */
public interface InputGuard extends Guard {

  /**
   * Decides about an input.
   *
   * @param input the text and its context
   * @return the verdict; never throws for content it dislikes (that is a {@link GuardVerdict.Block})
   * @throws dev.llmops.core.LlmOpsException only when the guard itself failed (a model call, a timeout)
   */
  GuardVerdict check(InputContext input);
}
