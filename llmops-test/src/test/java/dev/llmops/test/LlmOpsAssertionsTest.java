package dev.llmops.test;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.TextSpan;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmOpsAssertionsTest {

  private final ChatResponse response = new ChatResponse("The refund takes 5 days.", List.of(), FinishReason.STOP,
      TokenUsage.of(10, 6), "gpt-test", Duration.ofMillis(120), null, "r1");

  @Test
  void passesOnMatchingResponses() {
    assertThat(response).hasText("The refund takes 5 days.").textContains("refund", "5 days")
        .textDoesNotContain("sorry").textMatches("\\d+ days").hasFinishReason(FinishReason.STOP)
        .hasUsage(10, 6).usedAtMostTokens(16).hasModelId("gpt-test").hasNoToolCalls();
  }

  @Test
  void failsWithMessagesThatSayWhatDiffered() {
    assertThatThrownBy(() -> assertThat(response).textContains("apology"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("apology").hasMessageContaining("The refund takes");
    assertThatThrownBy(() -> assertThat(response).hasFinishReason(FinishReason.LENGTH))
        .isInstanceOf(AssertionError.class).hasMessageContaining("LENGTH").hasMessageContaining("STOP");
    assertThatThrownBy(() -> assertThat(response).usedAtMostTokens(10))
        .isInstanceOf(AssertionError.class).hasMessageContaining("at most 10");
    assertThatThrownBy(() -> assertThat(response).hasToolCall("search"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("search");
    ChatResponse noUsage = new ChatResponse("x", List.of(), FinishReason.STOP, null, "m", Duration.ZERO, null, null);
    assertThatThrownBy(() -> assertThat(noUsage).hasUsage(1, 1))
        .isInstanceOf(AssertionError.class).hasMessageContaining("reported none");
  }

  @Test
  void checksGuardVerdicts() {
    GuardVerdict block = GuardVerdict.block("I can't help with that.", 0.97,
        List.of(new Finding("INSTRUCTION_OVERRIDE", new TextSpan(0, 22), 0.97, "ignore previous instructions")));
    assertThat(block).isBlock().hasFindingOfType("INSTRUCTION_OVERRIDE").hasRiskScoreAtLeast(0.9);
    assertThat(GuardVerdict.pass()).isPass().hasNoFindings();
    assertThat(GuardVerdict.rewrite("call <PHONE>", 0.5, List.of())).isRewriteTo("call <PHONE>");

    assertThatThrownBy(() -> assertThat(block).isPass())
        .isInstanceOf(AssertionError.class).hasMessageContaining("Expected a Pass verdict");
    assertThatThrownBy(() -> assertThat(block).hasFindingOfType("PII"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("[INSTRUCTION_OVERRIDE]");
    assertThatThrownBy(() -> assertThat(GuardVerdict.rewrite("a", 0, List.of())).isRewriteTo("b"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("\"b\"");
  }

  @Test
  void checksScriptedModelCalls() {
    ScriptedChatModel model = ScriptedChatModel.builder().replies("a", "b").build();
    assertThat(model).wasNotCalled();
    model.chat("first question");
    assertThat(model).wasCalledTimes(1).lastUserMessageContains("first");
    assertThatThrownBy(() -> assertThat(model).usedWholeScript())
        .isInstanceOf(AssertionError.class).hasMessageContaining("1 steps are left");
    assertThatThrownBy(() -> assertThat(model).wasCalledTimes(2))
        .isInstanceOf(AssertionError.class).hasMessageContaining("Expected 2 calls");
  }
}
