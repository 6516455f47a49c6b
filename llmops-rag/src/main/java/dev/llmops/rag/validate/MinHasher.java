package dev.llmops.rag.validate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The MinHash signature of one set of shingle hashes: {@value #PERMUTATIONS} minima, each under its own hash
 * function, kept as their low 16 bits (b-bit MinHash), so a signature takes 256 bytes. Two signatures agree in a
 * position with probability {@code J + (1 - J) / 65536} for sets with Jaccard similarity {@code J}, which
 * {@link #similarity(int)} corrects for.
 *
 * <p>The hash functions are {@code x -> a * x + b} over 32-bit integers with fixed odd {@code a} and any {@code b},
 * applied to a 64-bit hash of the shingle folded to 32 bits; the shingle hash supplies the randomness, so the
 * estimates are unbiased with the binomial variance {@code J (1 - J) / 128} (checked by {@code MinHasherTest}).
 * The functions are fixed, so reports are the same from run to run.
 *
 * <p>Not thread-safe; reused document after document with {@link #reset()}.
 */
final class MinHasher {

  static final int PERMUTATIONS = 128;

  /** Shingle hashes buffered before they are deduplicated and applied, which bounds memory for huge texts. */
  private static final int FLUSH_AT = 1 << 16;

  private static final int[] MULTIPLIERS = new int[PERMUTATIONS];
  private static final int[] OFFSETS = new int[PERMUTATIONS];

  static {
    SplittableRandom random = new SplittableRandom(0x6C6C6D6F7073L);
    for (int i = 0; i < PERMUTATIONS; i++) {
      MULTIPLIERS[i] = random.nextInt() | 1;
      OFFSETS[i] = random.nextInt();
    }
  }

  private long[] pending = new long[256];
  private int size;
  private boolean applied;
  private final int[] minima = new int[PERMUTATIONS];

  MinHasher() {
    reset();
  }

  /** Forgets every shingle added so far. */
  void reset() {
    size = 0;
    applied = false;
    Arrays.fill(minima, Integer.MAX_VALUE);
  }

  /** Adds one shingle, by its 64-bit hash. */
  void add(long shingleHash) {
    if (size == pending.length) {
      if (size >= FLUSH_AT) {
        apply();
      } else {
        pending = Arrays.copyOf(pending, size * 2);
      }
    }
    pending[size++] = shingleHash;
  }

  /** Whether no shingle was added since the last reset. */
  boolean isEmpty() {
    return size == 0 && !applied;
  }

  /** Writes the signature of the shingles added so far to {@code target} from {@code offset}. */
  void signature(char[] target, int offset) {
    apply();
    for (int i = 0; i < PERMUTATIONS; i++) {
      target[offset + i] = (char) minima[i];
    }
  }

  private void apply() {
    if (size == 0) {
      return;
    }
    Arrays.sort(pending, 0, size);
    long previous = ~pending[0];
    for (int s = 0; s < size; s++) {
      long hash = pending[s];
      if (hash == previous) {
        continue;
      }
      previous = hash;
      int x = (int) (hash ^ (hash >>> 32));
      for (int i = 0; i < PERMUTATIONS; i++) {
        minima[i] = Math.min(minima[i], x * MULTIPLIERS[i] + OFFSETS[i]);
      }
    }
    size = 0;
    applied = true;
  }

  /** How many of the {@value #PERMUTATIONS} positions two signatures agree in. */
  static int matches(char[] a, int aOffset, char[] b, int bOffset) {
    int matches = 0;
    for (int i = 0; i < PERMUTATIONS; i++) {
      if (a[aOffset + i] == b[bOffset + i]) {
        matches++;
      }
    }
    return matches;
  }

  /** The estimated Jaccard similarity of two sets whose signatures agree in {@code matches} positions. */
  static double similarity(int matches) {
    double agreement = matches / (double) PERMUTATIONS;
    double chance = 1.0 / 65_536;
    return Math.max(0.0, (agreement - chance) / (1 - chance));
  }
}
