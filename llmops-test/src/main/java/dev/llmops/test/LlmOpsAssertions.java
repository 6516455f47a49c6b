package dev.llmops.test;

import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.eval.EvalReport;
import dev.llmops.core.guard.GuardVerdict;

/**
 * AssertJ entry points for llmops types. Import statically beside AssertJ's own:
 *
 * <pre>{@code
 * import static dev.llmops.test.LlmOpsAssertions.assertThat;
 *
 * assertThat(response).hasFinishReason(FinishReason.STOP).textContains("refund");
 * assertThat(verdict).isBlock().hasFindingOfType("INSTRUCTION_OVERRIDE");
 * assertThat(evalReport).hasPassRateAtLeast(0.95).hasNoRegressionsAgainst(baseline);
 * }</pre>
 */
public final class LlmOpsAssertions {

  private LlmOpsAssertions() {}

  /** Assertions on a chat response. */
  public static ChatResponseAssert assertThat(ChatResponse actual) {
    return new ChatResponseAssert(actual);
  }

  /** Assertions on a guard verdict. */
  public static GuardVerdictAssert assertThat(GuardVerdict actual) {
    return new GuardVerdictAssert(actual);
  }

  /** Assertions on an embedding. */
  public static EmbeddingAssert assertThat(Embedding actual) {
    return new EmbeddingAssert(actual);
  }

  /** Assertions on an evaluation's report: pass rate, regressions, bad rows. */
  public static EvalReportAssert assertThat(EvalReport actual) {
    return new EvalReportAssert(actual);
  }

  /** Assertions on what a scripted model was asked. */
  public static ScriptedChatModelAssert assertThat(ScriptedChatModel actual) {
    return new ScriptedChatModelAssert(actual);
  }
}
