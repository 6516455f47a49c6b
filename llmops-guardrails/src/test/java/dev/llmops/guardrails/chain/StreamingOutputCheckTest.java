package dev.llmops.guardrails.chain;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.guard.OutputContext;
import dev.llmops.guardrails.chain.TestGuards.WordGuard;
import org.junit.jupiter.api.Test;

class StreamingOutputCheckTest {

  private static GuardChain.Builder chain() {
    return GuardChain.builder("stream", "1").failurePolicy(FailurePolicy.FAIL_CLOSED);
  }

  @Test
  void releasesCompletedSentencesRewrittenAndHoldsTheUnfinishedOne() {
    try (GuardChain c = chain().output(WordGuard.replacing("Alice", "[PERSON]")).build()) {
      StreamingOutputCheck s = c.streamOutput(OutputContext.of(""));
      StringBuilder shown = new StringBuilder();
      for (String token : new String[] {"Hello ", "Ali", "ce. ", "How ", "are ", "you", "? ", "Bye", " Alice"}) {
        StreamingOutputCheck.Step step = s.push(token);
        assertThat(step.stopped()).isFalse();
        shown.append(step.released());
      }
      assertThat(shown.toString()).isEqualTo("Hello [PERSON]. How are you? ");
      shown.append(s.finish().released());
      assertThat(shown.toString()).isEqualTo("Hello [PERSON]. How are you? Bye [PERSON]");
      assertThat(s.releasedText()).isEqualTo(shown.toString());
      assertThat(s.stopped()).isNull();
    }
  }

  @Test
  void aBlockedSentenceStopsTheStreamAndNothingMoreIsReleased() {
    try (GuardChain c = chain().output(WordGuard.blocking("password")).build()) {
      StreamingOutputCheck s = c.streamOutput(OutputContext.of(""));
      assertThat(s.push("Sure. ").released()).isEmpty();
      assertThat(s.push("The password is hunter2. ").released()).isEqualTo("Sure. ");
      StreamingOutputCheck.Step step = s.push("And more.");
      assertThat(step.stopped()).isTrue();
      assertThat(step.stop().verdict()).isBlock();
      assertThat(s.push(" anything").released()).isEmpty();
      assertThat(s.finish().stopped()).isTrue();
      assertThat(s.releasedText()).isEqualTo("Sure. ");
    }
  }

  @Test
  void atEndGuardsSeeTheWholeAnswerOnce() {
    WordGuard wholeAnswer = new WordGuard("needs-all", "first second", f ->
        dev.llmops.core.guard.GuardVerdict.reask("joined", 0.5, f.findings()));
    try (GuardChain c = chain().output(wholeAnswer,
        GuardSettings.defaults().withStreaming(GuardSettings.Streaming.AT_END)).build()) {
      StreamingOutputCheck s = c.streamOutput(OutputContext.of(""));
      s.push("Say first");
      s.push(" second. Done.");
      StreamingOutputCheck.Step end = s.finish();
      assertThat(end.stopped()).isTrue();
      assertThat(end.stop().verdict()).isReask();
      assertThatThrownBy(s::finish).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void textWithoutSentenceEndsIsNotHeldForever() {
    try (GuardChain c = chain().output(WordGuard.blocking("zzz")).build()) {
      StreamingOutputCheck s = c.streamOutput(OutputContext.of(""));
      String released = "";
      for (int i = 0; i < 500; i++) {
        released += s.push("word ").released();
      }
      assertThat(released.length()).isGreaterThan(1000);
    }
  }

  @Test
  void lineBreaksCompleteAPiece() {
    try (GuardChain c = chain().output(WordGuard.blocking("zzz")).build()) {
      StreamingOutputCheck s = c.streamOutput(OutputContext.of(""));
      assertThat(s.push("- first item\n- sec").released()).isEqualTo("- first item\n");
    }
  }

  /** Counts its checks and sees the tool calls; a whole-answer guard. */
  private static final class CountingWholeAnswerGuard implements WholeAnswerGuard {
    final java.util.List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.List<Integer> toolCalls = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "whole";
    }

    @Override
    public String version() {
      return "1";
    }

    @Override
    public dev.llmops.core.guard.GuardVerdict check(OutputContext output) {
      texts.add(output.text());
      toolCalls.add(output.toolCalls().size());
      return dev.llmops.core.guard.GuardVerdict.pass();
    }
  }

  @Test
  void wholeAnswerGuardsRunOnceAtTheEndAndOnlyTheySeeToolCalls() {
    CountingWholeAnswerGuard whole = new CountingWholeAnswerGuard();
    CountingWholeAnswerGuard forcedPerSentence = new CountingWholeAnswerGuard();
    try (GuardChain c = chain().output(whole)
        .output(forcedPerSentence, GuardSettings.defaults().withStreaming(GuardSettings.Streaming.PER_SENTENCE))
        .build()) {
      OutputContext context = new OutputContext("", "q", java.util.List.of(),
          java.util.List.of(new dev.llmops.core.chat.ToolCall("1", "search", "{}")), null, java.util.Map.of());
      StreamingOutputCheck s = c.streamOutput(context);
      s.push("One. Two. ");
      s.push("Three.");
      s.finish();
      assertThat(whole.texts).containsExactly("One. Two. Three.");
      assertThat(whole.toolCalls).containsExactly(1);
      assertThat(forcedPerSentence.texts).hasSizeGreaterThan(1);
      assertThat(forcedPerSentence.toolCalls).containsOnly(0);
    }
  }

  @Test
  void aKeyBlockIsHeldUntilItCloses() {
    try (GuardChain c = chain().output(WordGuard.blocking("zzz")).build()) {
      StreamingOutputCheck s = c.streamOutput(OutputContext.of(""));
      assertThat(s.push("Here it is.\n-----BEGIN PRIVATE KEY-----\nMIIB\n").released()).isEqualTo("Here it is.\n");
      assertThat(s.push("abcd\n").released()).isEmpty();
      assertThat(s.push("-----END PRIVATE KEY-----\nDone.").released())
          .isEqualTo("-----BEGIN PRIVATE KEY-----\nMIIB\nabcd\n-----END PRIVATE KEY-----\n");
    }
  }
}
