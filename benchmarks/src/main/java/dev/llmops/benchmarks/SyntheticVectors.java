package dev.llmops.benchmarks;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Seeded, clustered, unit-length vectors for the vector-search comparison: a Gaussian mixture on the sphere. Uniform
 * random vectors make every neighbour nearly as far as every other, which is unrealistically hard for graph indexes;
 * so is a mixture with isotropic noise, whose points spread through all 384 dimensions (local intrinsic dimension
 * about 57). Text embeddings vary along few directions near any point, so here each cluster's noise lies mostly in
 * a low-dimensional subspace of its own:
 *
 * <pre>
 *   v = normalise(centroid_c + spread * (sqrt(1 - isotropic) * B_c z / sqrt(rank) + sqrt(isotropic) * e / sqrt(d)))
 * </pre>
 *
 * <ul>
 *   <li>{@code clusters} centroids, random unit directions; cluster sizes vary (weights drawn from an exponential
 *       distribution);
 *   <li>{@code B_c}: {@code rank} random directions per cluster (entries N(0, 1/d)), {@code z} ~ N(0, I_rank),
 *       {@code e} ~ N(0, I_d), so each noise part has expected length 1 and {@code spread} is the noise's length
 *       relative to the centroid's.
 * </ul>
 *
 * <p>The defaults (2,000 clusters, spread 1.1, rank 16, isotropic share 0.4) were chosen so that, at 50 points per
 * cluster as at 100,000 vectors, the neighbourhoods look like all-MiniLM-L6-v2's on SciFact abstracts. From
 * {@code Benchmarks vector-data} (3,000 abstracts, int8 model, against 3,000 synthetic vectors in 60 clusters; means
 * over 300 queries; 2026-11-27, 2 cores, OpenJDK 17): cosine to the nearest neighbour 0.646 (SciFact 0.671), to the
 * 10th 0.545 (0.513), local intrinsic dimension over 20 neighbours 19.9 (20.3), mean over nearest distance 1.67
 * (1.67). With isotropic noise only ({@code --isotropic 1.0}) the intrinsic dimension is 57. Unlike real
 * embeddings, random pairs are near orthogonal (mean cosine 0.012 against SciFact's 0.150: those share a common
 * direction, which shifts every score alike).
 *
 * <p>Vector {@code i} of a draw depends only on the seed, the {@link Draw} and {@code i}: the first 100,000 base
 * vectors are the same whether 100,000 or 1,000,000 are made, and queries are never base vectors (they are other
 * draws from the same mixture). Same seed, same vectors within one Java version (Gaussians come from
 * {@link SplittableRandom#nextGaussian()}). Generation runs on the common fork-join pool. Immutable and thread-safe.
 */
final class SyntheticVectors {

  /** Which draws a vector belongs to. */
  enum Draw {
    BASE(1),
    QUERIES(2),
    WARMUP(3);

    final long salt;

    Draw(long salt) {
      this.salt = salt;
    }
  }

  /** What to generate. */
  record Spec(int dimension, int clusters, double spread, int rank, double isotropic, long seed) {
    Spec {
      if (dimension < 1 || clusters < 1 || rank < 1) {
        throw new IllegalArgumentException("dimension, clusters and rank must be positive, were " + dimension + ", "
            + clusters + " and " + rank);
      }
      if (!(isotropic >= 0 && isotropic <= 1)) {
        throw new IllegalArgumentException("isotropic must be in [0, 1], was " + isotropic);
      }
      if (!(spread >= 0) || Double.isInfinite(spread)) {
        throw new IllegalArgumentException("spread must be a finite number >= 0, was " + spread);
      }
    }

    /** 384 dimensions (all-MiniLM-L6-v2's), 2,000 clusters, spread 1.1, rank 16, isotropic share 0.4, seed 42. */
    static Spec defaults() {
      return new Spec(384, 2000, 1.1, 16, 0.4, 42);
    }

    /** The option names {@link #from(Map)} reads. */
    static final Set<String> OPTIONS = Set.of("--clusters", "--spread", "--rank", "--isotropic",
        "--seed");

    /** The defaults with any of {@link #OPTIONS} given in {@code options} put in. */
    static Spec from(Map<String, String> options) {
      Spec d = defaults();
      return new Spec(d.dimension(),
          Integer.parseInt(options.getOrDefault("--clusters", Integer.toString(d.clusters()))),
          Double.parseDouble(options.getOrDefault("--spread", Double.toString(d.spread()))),
          Integer.parseInt(options.getOrDefault("--rank", Integer.toString(d.rank()))),
          Double.parseDouble(options.getOrDefault("--isotropic", Double.toString(d.isotropic()))),
          Long.parseLong(options.getOrDefault("--seed", Long.toString(d.seed()))));
    }

    /** The same with {@code clusters} clusters. */
    Spec withClusters(int clusters) {
      return new Spec(dimension, clusters, spread, rank, isotropic, seed);
    }
  }

  private final Spec spec;
  private final float[][] centroids;
  private final float[][][] bases;
  private final double[] cumulativeWeight;

  SyntheticVectors(Spec spec) {
    this.spec = spec;
    centroids = new float[spec.clusters()][];
    bases = new float[spec.clusters()][spec.rank()][spec.dimension()];
    cumulativeWeight = new double[spec.clusters()];
    SplittableRandom random = new SplittableRandom(mix(spec.seed(), 0, 0));
    double total = 0;
    for (int c = 0; c < spec.clusters(); c++) {
      float[] centroid = new float[spec.dimension()];
      for (int j = 0; j < centroid.length; j++) {
        centroid[j] = (float) random.nextGaussian();
      }
      centroids[c] = normalize(centroid);
      double scale = 1 / Math.sqrt(spec.dimension());
      for (float[] direction : bases[c]) {
        for (int j = 0; j < direction.length; j++) {
          direction[j] = (float) (random.nextGaussian() * scale);
        }
      }
      total += -Math.log(1 - random.nextDouble());
      cumulativeWeight[c] = total;
    }
    for (int c = 0; c < cumulativeWeight.length; c++) {
      cumulativeWeight[c] /= total;
    }
  }

  Spec spec() {
    return spec;
  }

  /** {@code count} vectors of {@code set}, vectors {@code 0..count-1}. */
  VectorSet generate(Draw set, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    float[][] vectors = new float[count][];
    IntStream.range(0, count).parallel().forEach(i -> vectors[i] = vector(set, i));
    return new VectorSet(spec.dimension(), vectors);
  }

  /** Vector {@code index} of {@code set}. */
  float[] vector(Draw set, long index) {
    SplittableRandom random = new SplittableRandom(mix(spec.seed(), set.salt, index));
    int c = Arrays.binarySearch(cumulativeWeight, random.nextDouble());
    c = Math.min(c < 0 ? -c - 1 : c, centroids.length - 1);
    float[] centroid = centroids[c];
    double iso = spec.spread() * Math.sqrt(spec.isotropic() / spec.dimension());
    double low = spec.spread() * Math.sqrt((1 - spec.isotropic()) / spec.rank());
    float[] v = new float[spec.dimension()];
    for (int j = 0; j < v.length; j++) {
      v[j] = (float) (centroid[j] + iso * random.nextGaussian());
    }
    for (float[] direction : bases[c]) {
      float z = (float) (low * random.nextGaussian());
      for (int j = 0; j < v.length; j++) {
        v[j] += z * direction[j];
      }
    }
    return normalize(v);
  }

  private static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    double scale = 1 / Math.sqrt(sum);
    for (int j = 0; j < v.length; j++) {
      v[j] = (float) (v[j] * scale);
    }
    return v;
  }

  /** A well-mixed seed for one vector (SplitMix64's finaliser over the three inputs). */
  private static long mix(long seed, long salt, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + salt * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
