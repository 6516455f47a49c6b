package dev.llmops.core.guard;

/** Inspects what comes out of a model. Safe to share across threads. */
public interface OutputGuard extends Guard {

  /**
   * Decides about an output.
   *
   * @param output the answer and its context
   * @return the verdict; never throws for content it dislikes
   * @throws dev.llmops.core.LlmOpsException only when the guard itself failed
   */
  GuardVerdict check(OutputContext output);
}
