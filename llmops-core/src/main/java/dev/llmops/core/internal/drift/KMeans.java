package dev.llmops.core.internal.drift;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Centroids fitted by k-means (Lloyd's algorithm) from k-means++ seeding (Arthur and Vassilvitskii, 2007), with
 * squared Euclidean distance. The fit is deterministic for a given seed and data order.
 *
 * <p>Immutable once fitted and safe to share across threads.
 */
public final class KMeans {

  private final double[][] centroids;
  private final int iterations;

  private KMeans(double[][] centroids, int iterations) {
    this.centroids = centroids;
    this.iterations = iterations;
  }

  /**
   * Fits {@code k} centroids to {@code points}. An empty cluster during the iterations is re-seeded with the point
   * farthest from its own centroid, so the result has {@code k} distinct centroids whenever the data has k distinct
   * points. Stops when no assignment changes, or after {@code maxIterations}.
   *
   * @param points the data, at least {@code k} vectors of one dimension; not modified
   * @param k the number of clusters, at least 1
   * @param seed the seed of the k-means++ draws
   * @param maxIterations the most Lloyd iterations, at least 1
   * @return the fitted centroids
   * @throws IllegalArgumentException if there are fewer than k points, the dimensions differ, or k or
   *     maxIterations is below 1
   */
  public static KMeans fit(float[][] points, int k, long seed, int maxIterations) {
    if (k < 1 || maxIterations < 1) {
      throw new IllegalArgumentException("k and maxIterations must be at least 1, were " + k + " and " + maxIterations);
    }
    int n = points.length;
    if (n < k) {
      throw new IllegalArgumentException("k-means with k=" + k + " needs at least " + k + " points, got " + n);
    }
    int dim = points[0].length;
    for (int i = 1; i < n; i++) {
      if (points[i].length != dim) {
        throw new IllegalArgumentException("point " + i + " has dimension " + points[i].length + ", point 0 has "
            + dim);
      }
    }
    double[][] centroids = seed(points, k, new SplittableRandom(seed));
    int[] assignment = new int[n];
    Arrays.fill(assignment, -1);
    double[] distance = new double[n];
    int iteration = 0;
    while (iteration < maxIterations) {
      iteration++;
      boolean changed = false;
      for (int i = 0; i < n; i++) {
        int best = nearest(centroids, points[i]);
        distance[i] = squaredDistance(centroids[best], points[i]);
        if (best != assignment[i]) {
          assignment[i] = best;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
      double[][] sums = new double[k][dim];
      int[] counts = new int[k];
      for (int i = 0; i < n; i++) {
        counts[assignment[i]]++;
        double[] s = sums[assignment[i]];
        float[] p = points[i];
        for (int j = 0; j < dim; j++) {
          s[j] += p[j];
        }
      }
      for (int c = 0; c < k; c++) {
        if (counts[c] == 0) {
          int far = farthest(distance);
          centroids[c] = toDouble(points[far]);
          distance[far] = 0; // not chosen twice for two empty clusters
          assignment[far] = -1; // forces another iteration
        } else {
          for (int j = 0; j < dim; j++) {
            centroids[c][j] = sums[c][j] / counts[c];
          }
        }
      }
    }
    return new KMeans(centroids, iteration);
  }

  private static double[][] seed(float[][] points, int k, SplittableRandom random) {
    int n = points.length;
    double[][] centroids = new double[k][];
    centroids[0] = toDouble(points[random.nextInt(n)]);
    double[] nearest = new double[n];
    for (int i = 0; i < n; i++) {
      nearest[i] = squaredDistance(centroids[0], points[i]);
    }
    for (int c = 1; c < k; c++) {
      double total = 0;
      for (double d : nearest) {
        total += d;
      }
      int chosen;
      if (total > 0) {
        double target = random.nextDouble() * total;
        chosen = n - 1;
        double running = 0;
        for (int i = 0; i < n; i++) {
          running += nearest[i];
          if (running > target) {
            chosen = i;
            break;
          }
        }
      } else {
        chosen = random.nextInt(n); // every point sits on a centroid already: duplicates
      }
      centroids[c] = toDouble(points[chosen]);
      for (int i = 0; i < n; i++) {
        nearest[i] = Math.min(nearest[i], squaredDistance(centroids[c], points[i]));
      }
    }
    return centroids;
  }

  /** The number of clusters. */
  public int k() {
    return centroids.length;
  }

  /** The dimension of the vectors. */
  public int dimension() {
    return centroids[0].length;
  }

  /** The Lloyd iterations the fit ran. */
  public int iterations() {
    return iterations;
  }

  /**
   * The cluster of {@code point}: the index of its nearest centroid, the lowest index on a tie.
   *
   * @throws IllegalArgumentException if the dimension differs from the centroids'
   */
  public int assign(float[] point) {
    if (point.length != dimension()) {
      throw new IllegalArgumentException("vector has dimension " + point.length + ", the clusters have "
          + dimension());
    }
    return nearest(centroids, point);
  }

  /** The number of {@code points} in each cluster. */
  public long[] histogram(Iterable<float[]> points) {
    long[] counts = new long[k()];
    for (float[] p : points) {
      counts[assign(p)]++;
    }
    return counts;
  }

  private static int nearest(double[][] centroids, float[] point) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centroids.length; c++) {
      double d = squaredDistance(centroids[c], point);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  private static int farthest(double[] distance) {
    int far = 0;
    for (int i = 1; i < distance.length; i++) {
      if (distance[i] > distance[far]) {
        far = i;
      }
    }
    return far;
  }

  private static double squaredDistance(double[] centroid, float[] point) {
    double sum = 0;
    for (int j = 0; j < centroid.length; j++) {
      double d = centroid[j] - point[j];
      sum += d * d;
    }
    return sum;
  }

  private static double[] toDouble(float[] point) {
    double[] copy = new double[point.length];
    for (int j = 0; j < point.length; j++) {
      copy[j] = point[j];
    }
    return copy;
  }
}
