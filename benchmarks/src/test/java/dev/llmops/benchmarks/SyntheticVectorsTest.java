package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmops.benchmarks.SyntheticVectors.Draw;
import dev.llmops.benchmarks.SyntheticVectors.Spec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticVectorsTest {

  private static final Spec SPEC = new Spec(64, 20, 1.1, 8, 0.4, 7);

  @Test
  void theSameSeedGivesTheSameVectorsAndAnotherSeedOthers() {
    VectorSet a = new SyntheticVectors(SPEC).generate(Draw.BASE, 300);
    VectorSet b = new SyntheticVectors(SPEC).generate(Draw.BASE, 300);
    VectorSet other = new SyntheticVectors(new Spec(64, 20, 1.1, 8, 0.4, 8)).generate(Draw.BASE, 300);

    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i)).isEqualTo(b.get(i));
      assertThat(Arrays.equals(a.get(i), other.get(i))).isFalse();
    }
  }

  @Test
  void vectorsAreUnitLengthAndOfTheDimension() {
    VectorSet v = new SyntheticVectors(SPEC).generate(Draw.QUERIES, 500);
    assertThat(v.size()).isEqualTo(500);
    for (int i = 0; i < v.size(); i++) {
      assertThat(v.get(i)).hasSize(64);
      assertThat(dot(v.get(i), v.get(i))).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void aSmallerBaseIsAPrefixOfALargerOneAndQueriesAreOtherDraws() {
    SyntheticVectors generator = new SyntheticVectors(SPEC);
    VectorSet small = generator.generate(Draw.BASE, 100);
    VectorSet large = generator.generate(Draw.BASE, 400);
    VectorSet queries = generator.generate(Draw.QUERIES, 100);

    for (int i = 0; i < small.size(); i++) {
      assertThat(small.get(i)).isEqualTo(large.get(i));
    }
    for (int q = 0; q < queries.size(); q++) {
      for (int i = 0; i < large.size(); i++) {
        assertThat(Arrays.equals(queries.get(q), large.get(i))).isFalse();
      }
    }
  }

  @Test
  void pointsAreClustered() {
    // 40 clusters of about 50: a query's nearest base vector is far closer than a random one.
    SyntheticVectors generator = new SyntheticVectors(new Spec(384, 40, 1.1, 16, 0.4, 1));
    VectorSet base = generator.generate(Draw.BASE, 2000);
    VectorSet queries = generator.generate(Draw.QUERIES, 50);
    double nearest = 0;
    double random = 0;
    for (int q = 0; q < queries.size(); q++) {
      double best = -1;
      for (int i = 0; i < base.size(); i++) {
        best = Math.max(best, dot(queries.get(q), base.get(i)));
      }
      nearest += best / queries.size();
      random += dot(queries.get(q), base.get(q * 37)) / queries.size();
    }
    assertThat(nearest).isGreaterThan(0.5);
    assertThat(random).isLessThan(0.2);
  }

  @Test
  void aBadSpecIsRejectedWithTheValue() {
    assertThatThrownBy(() -> new Spec(0, 10, 1, 4, 0.4, 1)).hasMessageContaining("were 0");
    assertThatThrownBy(() -> new Spec(8, 10, -1, 4, 0.4, 1)).hasMessageContaining("was -1.0");
    assertThatThrownBy(() -> new Spec(8, 10, 1, 4, 1.5, 1))
        .hasMessageContaining("isotropic must be in [0, 1], was 1.5");
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int j = 0; j < a.length; j++) {
      sum += (double) a[j] * b[j];
    }
    return sum;
  }
}
