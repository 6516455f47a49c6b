package dev.llmops.core.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class EmbeddingTest {

  private static Embedding of(float... vector) {
    return new Embedding(vector, -1, InputHandling.WHOLE);
  }

  @Test
  void cosineOfKnownVectors() {
    assertThat(of(1, 0).cosine(of(0, 1))).isCloseTo(0.0, within(1e-9));
    assertThat(of(1, 2, 3).cosine(of(2, 4, 6))).isCloseTo(1.0, within(1e-9));
    assertThat(of(1, 0).cosine(of(-1, 0))).isCloseTo(-1.0, within(1e-9));
    assertThat(of(1, 1).cosine(of(1, 0))).isCloseTo(Math.sqrt(0.5), within(1e-9));
    assertThat(of(0, 0).cosine(of(1, 0))).as("a zero vector is similar to nothing").isEqualTo(0.0);
  }

  @Test
  void cosineRefusesDifferentDimensions() {
    assertThatThrownBy(() -> of(1, 2).cosine(of(1, 2, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 2 and 3");
  }

  @Test
  void validatesAndCopiesTheVector() {
    float[] vector = {1, 2};
    Embedding e = new Embedding(vector, 4, InputHandling.TRUNCATED);
    vector[0] = 99;

    assertThat(e.vector()[0]).isEqualTo(1f);
    assertThat(e.dimension()).isEqualTo(2);
    assertThat(e.tokens()).isEqualTo(OptionalInt.of(4));
    assertThat(of(1).tokens()).isEmpty();
    assertThatThrownBy(() -> of()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> new Embedding(new float[] {1}, -2, InputHandling.WHOLE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
  }

  @Test
  void equalityComparesTheVectorContents() {
    assertThat(of(1, 2)).isEqualTo(of(1, 2)).hasSameHashCodeAs(of(1, 2)).isNotEqualTo(of(2, 1));
    assertThat(of(1, 2)).isNotEqualTo(new Embedding(new float[] {1, 2}, 3, InputHandling.WHOLE));
    assertThat(of(1, 2).toString()).contains("dimension=2");
  }

  @Test
  void resultsKeepOrderAndValidateTotals() {
    EmbeddingResult result = new EmbeddingResult(List.of(of(1), of(2)), "m", 7);

    assertThat(result.size()).isEqualTo(2);
    assertThat(result.get(1)).isEqualTo(of(2));
    assertThatThrownBy(() -> new EmbeddingResult(List.of(), "m", -2)).isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void theVectorCannotBeChangedThroughItsAccessor() {
    Embedding e = new Embedding(new float[] {1, 2, 3}, 3, InputHandling.WHOLE);
    e.vector()[0] = 99;
    org.assertj.core.api.Assertions.assertThat(e.component(0)).isEqualTo(1f);
    org.assertj.core.api.Assertions.assertThat(e).isEqualTo(new Embedding(new float[] {1, 2, 3}, 3, InputHandling.WHOLE));
  }
}
