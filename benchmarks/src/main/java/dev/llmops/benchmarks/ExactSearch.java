package dev.llmops.benchmarks;

import org.apache.lucene.util.VectorUtil;

/**
 * Brute-force top-k by dot product over every base vector, one thread: the ground truth of the vector-search
 * comparison and the speed an index has to beat. The dot product is Lucene's {@link VectorUtil#dotProduct}, the one
 * Lucene's HNSW indexes use, so exact and indexed search multiply vectors the same way (a scalar loop on Java 17;
 * Lucene switches it to SIMD on JDK 21+ when the {@code jdk.incubator.vector} module is added).
 *
 * <p>Equal scores rank the lower id first. Not thread-safe.
 */
final class ExactSearch implements VectorSearchSubject {

  static final String NAME = "exact";

  private VectorSet base = new VectorSet(1, new float[0][]);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void build(VectorSet base) {
    this.base = base;
  }

  @Override
  public int[] search(float[] query, int k) {
    return topK(base, query, k);
  }

  @Override
  public void close() {}

  /**
   * The ids of the {@code min(k, base.size())} vectors with the highest dot product with {@code query}, highest
   * first, equal scores by ascending id.
   *
   * @throws IllegalArgumentException when {@code k < 1} or {@code query} has another dimension than {@code base}
   */
  static int[] topK(VectorSet base, float[] query, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive, was " + k);
    }
    if (query.length != base.dimension()) {
      throw new IllegalArgumentException("query has " + query.length + " dimensions, the base " + base.dimension());
    }
    int n = Math.min(k, base.size());
    // A heap of the best n so far whose root is the worst of them. Ids arrive in ascending order, so a later vector
    // with the same score as the root never displaces it: equal scores keep the lower id.
    int[] ids = new int[n];
    float[] scores = new float[n];
    int size = 0;
    for (int id = 0; id < base.size(); id++) {
      float score = VectorUtil.dotProduct(query, base.get(id));
      if (size < n) {
        ids[size] = id;
        scores[size] = score;
        up(ids, scores, size++);
      } else if (score > scores[0]) {
        ids[0] = id;
        scores[0] = score;
        down(ids, scores, n);
      }
    }
    int[] ranked = new int[n];
    for (int i = n - 1; i >= 0; i--) {
      ranked[i] = ids[0];
      ids[0] = ids[i];
      scores[0] = scores[i];
      down(ids, scores, i);
    }
    return ranked;
  }

  /** Whether entry {@code a} ranks below entry {@code b}: a lower score, or the same score and a higher id. */
  private static boolean worse(int[] ids, float[] scores, int a, int b) {
    return scores[a] < scores[b] || (scores[a] == scores[b] && ids[a] > ids[b]);
  }

  private static void up(int[] ids, float[] scores, int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!worse(ids, scores, i, parent)) {
        return;
      }
      swap(ids, scores, i, parent);
      i = parent;
    }
  }

  private static void down(int[] ids, float[] scores, int size) {
    int i = 0;
    while (true) {
      int worst = i;
      int left = 2 * i + 1;
      int right = left + 1;
      if (left < size && worse(ids, scores, left, worst)) {
        worst = left;
      }
      if (right < size && worse(ids, scores, right, worst)) {
        worst = right;
      }
      if (worst == i) {
        return;
      }
      swap(ids, scores, i, worst);
      i = worst;
    }
  }

  private static void swap(int[] ids, float[] scores, int a, int b) {
    int id = ids[a];
    ids[a] = ids[b];
    ids[b] = id;
    float score = scores[a];
    scores[a] = scores[b];
    scores[b] = score;
  }
}
