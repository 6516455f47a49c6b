package dev.llmops.rag.index;

/**
 * How {@link SearchMode#HYBRID} merges the BM25 and the dense result lists into one ranking.
 *
 * <p>Both are computed from the candidate lists alone (the top {@link SearchRequest#candidates()} of each
 * mode), so any index that returns the same candidates returns the same fused ranking.
 */
public sealed interface Fusion permits Fusion.ReciprocalRank, Fusion.Convex {

  /** Reciprocal-rank fusion with the customary constant 60. */
  static Fusion reciprocalRank() {
    return new ReciprocalRank(60);
  }

  /**
   * Reciprocal-rank fusion: a chunk scores {@code sum over lists of 1 / (k + rank)}, rank from 1. Needs no
   * score calibration, which makes it the robust default.
   *
   * @param k the damping constant, at least 1
   */
  static Fusion reciprocalRank(int k) {
    return new ReciprocalRank(k);
  }

  /**
   * Convex combination: each list's scores are min-max normalised to [0, 1] over its candidates, and a chunk
   * scores {@code denseWeight * dense + (1 - denseWeight) * bm25}, a list it is missing from counting 0.
   *
   * @param denseWeight the weight of the dense score, in [0, 1]
   */
  static Fusion convex(double denseWeight) {
    return new Convex(denseWeight);
  }

  /**
   * Reciprocal-rank fusion.
   *
   * @param k the damping constant
   */
  record ReciprocalRank(int k) implements Fusion {
    /** Validates. */
    public ReciprocalRank {
      if (k < 1) {
        throw new IllegalArgumentException("the reciprocal-rank constant must be at least 1 but was " + k);
      }
    }
  }

  /**
   * Convex combination of normalised scores.
   *
   * @param denseWeight the weight of the dense score
   */
  record Convex(double denseWeight) implements Fusion {
    /** Validates. */
    public Convex {
      if (!(denseWeight >= 0 && denseWeight <= 1)) {
        throw new IllegalArgumentException("the dense weight must be in [0, 1] but was " + denseWeight);
      }
    }
  }
}
