package dev.llmops.benchmarks;

import java.util.Arrays;

/**
 * How a set of unit vectors looks from its queries, the figures that decide how hard approximate search is: cosine
 * to the nearest and the 10th nearest base vector, to an average base vector, the local intrinsic dimension (the
 * maximum-likelihood estimate of Levina and Bickel over the {@code k} nearest Euclidean distances: how many
 * directions the neighbourhood spreads in), and the relative contrast (mean distance over nearest distance). Each
 * is the mean over the queries.
 */
record NeighbourStatistics(int vectors, int queries, double nearestCosine, double tenthCosine, double meanCosine,
    double intrinsicDimension, double relativeContrast) {

  /** Neighbours the intrinsic dimension is estimated over. */
  static final int K = 20;

  /**
   * Measures {@code queries} against {@code base} by brute force.
   *
   * @param queriesAreBase query {@code i} is base vector {@code i}, which is then left out of its own neighbours
   * @throws IllegalArgumentException when the base has no more than {@link #K} vectors (after leaving one out)
   */
  static NeighbourStatistics of(VectorSet base, VectorSet queries, boolean queriesAreBase) {
    int n = base.size() - (queriesAreBase ? 1 : 0);
    if (n <= K) {
      throw new IllegalArgumentException("need more than " + K + " base vectors to measure, got " + n);
    }
    double nearest = 0;
    double tenth = 0;
    double mean = 0;
    double lid = 0;
    double contrast = 0;
    float[] scores = new float[n];
    for (int q = 0; q < queries.size(); q++) {
      float[] query = queries.get(q);
      int m = 0;
      double distances = 0;
      for (int i = 0; i < base.size(); i++) {
        if (queriesAreBase && i == q) {
          continue;
        }
        float s = dot(query, base.get(i));
        scores[m++] = s;
        mean += s / n;
        distances += distance(s) / n;
      }
      Arrays.sort(scores);
      nearest += scores[n - 1];
      tenth += scores[n - 10];
      double farthest = distance(scores[n - K]);
      double logs = 0;
      for (int i = 1; i <= K; i++) {
        logs += Math.log(distance(scores[n - i]) / farthest);
      }
      lid += -K / logs;
      contrast += distances / distance(scores[n - 1]);
    }
    int count = queries.size();
    return new NeighbourStatistics(base.size(), count, nearest / count, tenth / count, mean / count, lid / count,
        contrast / count);
  }

  /** Euclidean distance between unit vectors with dot product {@code s} (at least 1e-6, so logs stay finite). */
  private static double distance(float s) {
    return Math.sqrt(Math.max(1e-12, 2 - 2 * (double) s));
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int j = 0; j < a.length; j++) {
      sum += a[j] * b[j];
    }
    return sum;
  }
}
