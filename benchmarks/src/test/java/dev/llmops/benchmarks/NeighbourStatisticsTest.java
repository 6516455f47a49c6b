package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmops.benchmarks.SyntheticVectors.Draw;
import dev.llmops.benchmarks.SyntheticVectors.Spec;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeighbourStatisticsTest {

  @Test
  void pointsOnACircleHaveIntrinsicDimensionOne() {
    // Unit vectors on a great circle of the 16-d sphere: locally a line.
    Random random = new Random(2);
    float[][] v = new float[3000][16];
    for (float[] x : v) {
      double angle = random.nextDouble() * 2 * Math.PI;
      x[3] = (float) Math.cos(angle);
      x[11] = (float) Math.sin(angle);
    }
    VectorSet circle = new VectorSet(16, v);

    NeighbourStatistics s = NeighbourStatistics.of(circle, circle, true);

    assertThat(s.intrinsicDimension()).isCloseTo(1.0, within(0.25));
    assertThat(s.nearestCosine()).isGreaterThanOrEqualTo(s.tenthCosine()).isGreaterThan(0.99);
    assertThat(s.meanCosine()).isCloseTo(0.0, within(0.05));
    assertThat(s.relativeContrast()).isGreaterThan(100);
  }

  @Test
  void theDefaultMixtureSpreadsInFewerDirectionsThanIsotropicNoise() {
    Spec defaults = Spec.defaults().withClusters(40);
    Spec isotropic = new Spec(384, 40, defaults.spread(), defaults.rank(), 1.0, defaults.seed());

    NeighbourStatistics lowRank = measure(defaults);
    NeighbourStatistics everywhere = measure(isotropic);

    assertThat(lowRank.intrinsicDimension()).isBetween(12.0, 30.0);
    assertThat(everywhere.intrinsicDimension()).isGreaterThan(40);
    assertThat(lowRank.nearestCosine() - lowRank.tenthCosine())
        .isGreaterThan(everywhere.nearestCosine() - everywhere.tenthCosine());
  }

  @Test
  void needsMoreBaseVectorsThanNeighbours() {
    VectorSet few = new SyntheticVectors(Spec.defaults()).generate(Draw.BASE, NeighbourStatistics.K);
    assertThatThrownBy(() -> NeighbourStatistics.of(few, few, false)).hasMessageContaining("got 20");
  }

  private static NeighbourStatistics measure(Spec spec) {
    SyntheticVectors generator = new SyntheticVectors(spec);
    return NeighbourStatistics.of(generator.generate(Draw.BASE, 2000), generator.generate(Draw.QUERIES, 50), false);
  }
}
