package dev.llmops.core.internal.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmops.core.internal.routing.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class DriftStatsTest {

  @Test
  void logGammaMatchesFactorialsAndTheHalfIntegers() {
    double factorial = 1;
    for (int n = 1; n <= 20; n++) {
      assertThat(DriftStats.logGamma(n + 1)).isCloseTo(Math.log(factorial *= n), within(1e-12 * Math.max(1,
          Math.log(factorial))));
    }
    assertThat(DriftStats.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-14));
    assertThat(DriftStats.logGamma(0.25)).isCloseTo(1.2880225246980774, within(1e-13)); // ln Gamma(1/4)
    assertThatThrownBy(() -> DriftStats.logGamma(0)).hasMessageContaining("was 0.0");
  }

  @Test
  void chiSquareTailsMatchTheirClosedForms() {
    for (double x : new double[] {0.01, 0.5, 1, 3.84, 7, 15, 40, 120}) {
      // df = 1: 2 (1 - Phi(sqrt x)); df = 2: exp(-x/2); df = 3: add sqrt(2x/pi) exp(-x/2); df = 4: exp(-x/2)(1 + x/2)
      double tail1 = 2 * Stats.normalCdf(-Math.sqrt(x));
      assertRelative(DriftStats.chiSquareUpperTail(x, 1), tail1);
      assertRelative(DriftStats.chiSquareUpperTail(x, 2), Math.exp(-x / 2));
      assertRelative(DriftStats.chiSquareUpperTail(x, 3), tail1 + Math.sqrt(2 * x / Math.PI) * Math.exp(-x / 2));
      assertRelative(DriftStats.chiSquareUpperTail(x, 4), Math.exp(-x / 2) * (1 + x / 2));
    }
    assertThat(DriftStats.chiSquareUpperTail(0, 9)).isEqualTo(1);
    assertThat(DriftStats.chiSquareUpperTail(Double.POSITIVE_INFINITY, 9)).isEqualTo(0);
  }

  @Test
  void histogramComparisonComputesPearsonAndPsi() {
    DriftStats.HistogramComparison c = DriftStats.compareHistograms(new long[] {10, 20}, new long[] {20, 10});
    assertThat(c.chiSquare()).isCloseTo(20.0 / 3, within(1e-12));
    assertThat(c.degreesOfFreedom()).isEqualTo(1);
    assertThat(c.pValue()).isCloseTo(2 * Stats.normalCdf(-Math.sqrt(20.0 / 3)), within(1e-12));
    double r = 10.5 / 31;
    double s = 20.5 / 31;
    assertThat(c.psi()).isCloseTo(2 * (s - r) * Math.log(s / r), within(1e-12));

    DriftStats.HistogramComparison same = DriftStats.compareHistograms(new long[] {5, 0, 7}, new long[] {10, 0, 14});
    assertThat(same.chiSquare()).isZero();
    assertThat(same.degreesOfFreedom()).isEqualTo(1); // the bin empty on both sides does not count
    assertThat(same.pValue()).isEqualTo(1);
    // An empty bin on one side still gives a finite PSI.
    assertThat(DriftStats.compareHistograms(new long[] {50, 0}, new long[] {25, 25}).psi()).isFinite().isPositive();
    assertThatThrownBy(() -> DriftStats.compareHistograms(new long[] {1}, new long[] {1, 2}))
        .hasMessageContaining("1 and 2");
    assertThatThrownBy(() -> DriftStats.compareHistograms(new long[] {0, 0}, new long[] {1, 2}))
        .hasMessageContaining("reference");
  }

  @Test
  void kMeansFindsSeparatedClustersAndIsDeterministic() {
    SplittableRandom random = new SplittableRandom(7);
    float[][] centres = {{0, 0}, {10, 0}, {0, 10}};
    List<float[]> points = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      float[] c = centres[i % 3];
      points.add(new float[] {c[0] + (float) random.nextDouble(-1, 1), c[1] + (float) random.nextDouble(-1, 1)});
    }
    float[][] data = points.toArray(new float[0][]);
    KMeans km = KMeans.fit(data, 3, 1, 100);
    assertThat(km.histogram(points)).containsExactlyInAnyOrder(100, 100, 100);
    assertThat(km.assign(new float[] {0.2f, 0.1f})).isNotEqualTo(km.assign(new float[] {9.8f, 0.3f}));
    KMeans again = KMeans.fit(data, 3, 1, 100);
    for (float[] p : points) {
      assertThat(again.assign(p)).isEqualTo(km.assign(p));
    }
    // Fewer distinct points than clusters: still k centroids, every point assigned.
    float[][] duplicates = {{1, 1}, {1, 1}, {2, 2}, {2, 2}};
    assertThat(KMeans.fit(duplicates, 3, 5, 100).histogram(List.of(duplicates)).length).isEqualTo(3);
    assertThatThrownBy(() -> KMeans.fit(duplicates, 5, 1, 10)).hasMessageContaining("at least 5 points, got 4");
    assertThatThrownBy(() -> km.assign(new float[3])).hasMessageContaining("dimension 3");
  }

  private static void assertRelative(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, Offset.offset(Math.abs(expected) * 1e-10 + 1e-300));
  }
}
