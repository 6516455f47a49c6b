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
}
