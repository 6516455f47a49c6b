package dev.llmops.core.observe.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic traffic for drift tests: input embeddings from a Gaussian mixture of topics (unit-normalised, as
 * sentence embeddings are), and outputs with a block rate, a grounded fraction and an answer length.
 */
final class Traffic {

  static final int DIMENSION = 32;
  static final int TOPICS = 10;

  private final double[][] topicMeans;

  /** Topic centres drawn from {@code seed}: N(0, 1) per coordinate. */
  Traffic(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    topicMeans = new double[TOPICS][DIMENSION];
    for (double[] mean : topicMeans) {
      for (int j = 0; j < DIMENSION; j++) {
        mean[j] = gaussian(random);
      }
    }
  }

  /** Uniform topic weights. */
  static double[] uniform() {
    double[] w = new double[TOPICS];
    java.util.Arrays.fill(w, 1.0 / TOPICS);
    return w;
  }

  /** Topic 0 at {@code share}, the others sharing the rest equally. */
  static double[] boosted(double share) {
    double[] w = new double[TOPICS];
    java.util.Arrays.fill(w, (1 - share) / (TOPICS - 1));
    w[0] = share;
    return w;
  }

  /** n embeddings: a topic drawn by weight, its centre plus N(0, noise^2) per coordinate, normalised. */
  List<DriftSample> inputs(int n, double[] weights, double noise, SplittableRandom random) {
    List<DriftSample> samples = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int topic = draw(weights, random);
      float[] v = new float[DIMENSION];
      double norm = 0;
      for (int j = 0; j < DIMENSION; j++) {
        double x = topicMeans[topic][j] + noise * gaussian(random);
        v[j] = (float) x;
        norm += x * x;
      }
      for (int j = 0; j < DIMENSION; j++) {
        v[j] /= (float) Math.sqrt(norm);
      }
      samples.add(DriftSample.input(v));
    }
    return samples;
  }

  /**
   * n outputs: blocked with probability {@code blockRate}; an answered request has a grounded fraction of k/5 with
   * k ~ Binomial(5, groundedP) and a log-normal length with median {@code medianLength} and log-sd 0.5.
   */
  static List<DriftSample> outputs(int n, double blockRate, double groundedP, double medianLength,
      SplittableRandom random) {
    List<DriftSample> samples = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean blocked = random.nextDouble() < blockRate;
      if (blocked) {
        samples.add(DriftSample.output(true, null, null));
        continue;
      }
      int grounded = 0;
      for (int c = 0; c < 5; c++) {
        grounded += random.nextDouble() < groundedP ? 1 : 0;
      }
      int length = (int) Math.round(medianLength * Math.exp(0.5 * gaussian(random)));
      samples.add(DriftSample.output(false, grounded / 5.0, length));
    }
    return samples;
  }

  private static int draw(double[] weights, SplittableRandom random) {
    double u = random.nextDouble();
    double running = 0;
    for (int i = 0; i < weights.length; i++) {
      running += weights[i];
      if (u < running) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** A standard normal draw (Box-Muller; one of the pair is thrown away, which keeps this stateless). */
  static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
