package dev.llmops.rag.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MinHasherTest {

  /** Signatures of two sets of {@code size} random shingles that share {@code shared}. */
  private static double estimate(SplittableRandom random, int size, int shared) {
    MinHasher a = new MinHasher();
    MinHasher b = new MinHasher();
    for (int i = 0; i < shared; i++) {
      long s = random.nextLong();
      a.add(s);
      b.add(s);
    }
    for (int i = shared; i < size; i++) {
      a.add(random.nextLong());
      b.add(random.nextLong());
    }
    char[] sa = new char[MinHasher.PERMUTATIONS];
    char[] sb = new char[MinHasher.PERMUTATIONS];
    a.signature(sa, 0);
    b.signature(sb, 0);
    return MinHasher.similarity(MinHasher.matches(sa, 0, sb, 0));
  }

  @Test
  void estimatesAreUnbiasedWithBinomialSpread() {
    SplittableRandom random = new SplittableRandom(1);
    for (int shared : new int[] {380, 327, 200, 100}) {
      double jaccard = shared / (double) (800 - shared);
      int trials = 400;
      double sum = 0;
      double squares = 0;
      for (int t = 0; t < trials; t++) {
        double error = estimate(random, 400, shared) - jaccard;
        sum += error;
        squares += error * error;
      }
      double expectedSd = Math.sqrt(jaccard * (1 - jaccard) / MinHasher.PERMUTATIONS);
      assertThat(Math.abs(sum / trials)).as("bias at J=%.3f", jaccard).isLessThan(3 * expectedSd / Math.sqrt(trials));
      assertThat(Math.sqrt(squares / trials)).as("spread at J=%.3f", jaccard)
          .isBetween(0.8 * expectedSd, 1.2 * expectedSd);
    }
  }

  @Test
  void identicalSetsAreOneAndDisjointOnesNearZero() {
    SplittableRandom random = new SplittableRandom(2);
    assertThat(estimate(random, 300, 300)).isEqualTo(1.0);
    assertThat(estimate(random, 300, 0)).isLessThan(0.05);
  }

  @Test
  void repeatsAndOrderDoNotChangeTheSignature() {
    MinHasher once = new MinHasher();
    MinHasher repeated = new MinHasher();
    for (long s = 1; s <= 100; s++) {
      once.add(s * 0x9E3779B97F4A7C15L);
    }
    for (int round = 0; round < 3; round++) {
      for (long s = 100; s >= 1; s--) {
        repeated.add(s * 0x9E3779B97F4A7C15L);
      }
    }
    char[] a = new char[MinHasher.PERMUTATIONS];
    char[] b = new char[MinHasher.PERMUTATIONS];
    once.signature(a, 0);
    repeated.signature(b, 0);

    assertThat(b).isEqualTo(a);
  }

  @Test
  void hugeSetsAreHashedInBatchesWithoutLosingAny() {
    // 200,000 shingles pass the 65,536 buffered at a time several times over.
    SplittableRandom random = new SplittableRandom(3);
    long[] shingles = new long[200_000];
    for (int i = 0; i < shingles.length; i++) {
      shingles[i] = random.nextLong();
    }
    MinHasher forward = new MinHasher();
    MinHasher backward = new MinHasher();
    MinHasher halfShared = new MinHasher();
    for (int i = 0; i < shingles.length; i++) {
      forward.add(shingles[i]);
      backward.add(shingles[shingles.length - 1 - i]);
      halfShared.add(i < 100_000 ? shingles[i] : random.nextLong());
    }
    char[] a = new char[MinHasher.PERMUTATIONS];
    char[] b = new char[MinHasher.PERMUTATIONS];
    char[] c = new char[MinHasher.PERMUTATIONS];
    forward.signature(a, 0);
    backward.signature(b, 0);
    halfShared.signature(c, 0);

    assertThat(b).as("batches split the set differently, the minima are the same").isEqualTo(a);
    assertThat(MinHasher.similarity(MinHasher.matches(a, 0, c, 0))).as("J = 1/3").isBetween(0.2, 0.47);
    assertThat(forward.isEmpty()).isFalse();
    forward.reset();
    assertThat(forward.isEmpty()).isTrue();
  }

  @Test
  void rowsPerBandLeaveFewMissesAtTheThreshold() {
    assertThat(NearDuplicateIndex.rowsPerBand(0.9)).isEqualTo(8);
    assertThat(NearDuplicateIndex.rowsPerBand(0.8)).isEqualTo(4);
    assertThat(NearDuplicateIndex.rowsPerBand(0.5)).isEqualTo(2);
    assertThat(NearDuplicateIndex.rowsPerBand(1.0)).isEqualTo(128);
  }
}
