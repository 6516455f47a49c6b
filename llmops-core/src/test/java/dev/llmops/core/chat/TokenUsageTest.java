package dev.llmops.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenUsageTest {

  @Test
  void countsMustNotBeNegative() {
    assertThatThrownBy(() -> new TokenUsage(-1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input=-1");
    assertThatThrownBy(() -> new TokenUsage(0, -2, 0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output=-2");
    assertThatThrownBy(() -> new TokenUsage(5, 5, -1, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cached=-1");
    assertThatThrownBy(() -> new TokenUsage(5, 5, 0, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reasoning=-1");
  }

  @Test
  void partsMustFitInTheirWholes() {
    assertThatThrownBy(() -> new TokenUsage(10, 5, 11, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cached input tokens (11) exceed input tokens (10)");
    assertThatThrownBy(() -> new TokenUsage(10, 5, 0, 6)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reasoning tokens (6) exceed output tokens (5)");
    assertThat(new TokenUsage(10, 5, 10, 5).totalTokens()).isEqualTo(15);
  }

  @Test
  void ofHasNoDetails() {
    assertThat(TokenUsage.of(3, 4)).isEqualTo(new TokenUsage(3, 4, 0, 0));
    assertThat(TokenUsage.of(3, 4).totalTokens()).isEqualTo(7);
  }

  @Test
  void plusAddsEveryCount() {
    TokenUsage sum = new TokenUsage(10, 5, 4, 2).plus(new TokenUsage(20, 7, 8, 3));

    assertThat(sum).isEqualTo(new TokenUsage(30, 12, 12, 5));
    assertThat(sum.totalTokens()).isEqualTo(42);
  }

  @Test
  void aResponseValidatesAndCopies() {
    assertThatThrownBy(() -> new ChatResponse("x", List.of(), FinishReason.STOP, null, "m", Duration.ofMillis(-1), null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latency");
    ChatResponse response = new ChatResponse("x", List.of(), FinishReason.STOP, TokenUsage.of(1, 1), "m", Duration.ZERO,
        null, null);
    assertThat(response.reportedUsage()).contains(TokenUsage.of(1, 1));
    assertThat(response.hasToolCalls()).isFalse();
  }
}
