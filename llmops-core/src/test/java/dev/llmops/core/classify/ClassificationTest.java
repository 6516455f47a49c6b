package dev.llmops.core.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationTest {

  @Test
  void sortsScoresHighestFirst() {
    Classification c = new Classification(List.of(
        new LabelScore("neutral", 0.2), new LabelScore("positive", 0.7), new LabelScore("negative", 0.1)));

    assertThat(c.scores()).extracting(LabelScore::label).containsExactly("positive", "neutral", "negative");
    assertThat(c.top()).isEqualTo(new LabelScore("positive", 0.7));
  }

  @Test
  void tiesKeepTheirInputOrder() {
    Classification c = new Classification(List.of(new LabelScore("b", 0.5), new LabelScore("a", 0.5)));

    assertThat(c.scores()).extracting(LabelScore::label).containsExactly("b", "a");
  }

  @Test
  void looksUpAScoreByLabel() {
    Classification c = new Classification(List.of(new LabelScore("spam", 0.9), new LabelScore("ham", 0.1)));

    assertThat(c.score("ham")).hasValue(0.1);
    assertThat(c.score("unknown")).isEmpty();
  }

  @Test
  void needsAtLeastOneScoreAndValidScores() {
    assertThatThrownBy(() -> new Classification(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LabelScore("x", 1.2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x'").hasMessageContaining("1.2");
    assertThatThrownBy(() -> new LabelScore(" ", 0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LabelScore("x", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theScoresAreImmutable() {
    Classification c = new Classification(List.of(new LabelScore("a", 1)));

    assertThatThrownBy(() -> c.scores().add(new LabelScore("b", 0))).isInstanceOf(UnsupportedOperationException.class);
  }
}
