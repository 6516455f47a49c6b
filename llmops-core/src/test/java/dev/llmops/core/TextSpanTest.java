package dev.llmops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextSpanTest {

  @Test
  void coversAHalfOpenRange() {
    TextSpan span = new TextSpan(6, 11);

    assertThat(span.length()).isEqualTo(5);
    assertThat(span.of("Hello world!")).isEqualTo("world");
    assertThat(new TextSpan(3, 3).of("abc")).isEmpty();
    assertThat(new TextSpan(0, 3).of(new StringBuilder("abc"))).isEqualTo("abc");
  }

  @Test
  void rejectsNegativeOrReversedRanges() {
    assertThatThrownBy(() -> new TextSpan(-1, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[-1, 2)");
    assertThatThrownBy(() -> new TextSpan(5, 4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[5, 4)");
  }

  @Test
  void refusesToReachPastTheText() {
    assertThatThrownBy(() -> new TextSpan(2, 10).of("short")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2, 10)")
        .hasMessageContaining("length 5");
  }
}
