package dev.llmops.rag.validate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MinHash signatures of documents and the locality-sensitive hashing that finds the pairs among them whose
 * estimated Jaccard similarity reaches a threshold, without comparing every pair.
 *
 * <p>The {@value MinHasher#PERMUTATIONS} positions of a signature are cut into bands of {@link #rowsPerBand}
 * rows; documents whose signatures are equal in a whole band are candidates, and a candidate pair is confirmed
 * when its estimated similarity reaches the threshold. The rows per band are the most (fewest false candidates)
 * that still make a pair exactly at the threshold a candidate with probability at least 0.99: 8 rows (16 bands) for
 * 0.9, which makes a pair at 0.9 a candidate with probability 0.9999 and one at 0.5 with probability 0.06.
 *
 * <p>Per band the signatures are sorted by the band's hash (O(n log n)); in a bucket of equal hashes each
 * signature is compared with the next {@value #BUCKET_WINDOW}, skipping pairs already joined into one group, so a
 * bucket of many near-identical documents costs about one comparison per document and no bucket costs more than
 * {@value #BUCKET_WINDOW} per document. In such an oversized bucket, two similar documents more than that far
 * apart are found only through another band or a chain of similar documents.
 *
 * <p>Not thread-safe.
 */
final class NearDuplicateIndex {

  static final int BUCKET_WINDOW = 64;
  private static final int PAGE_BITS = 10;
  private static final int PAGE = 1 << PAGE_BITS;
  private static final int PAGE_CHARS = PAGE * MinHasher.PERMUTATIONS;

  /** A confirmed pair, by signature slots. */
  record Edge(int first, int second, double similarity) {}

  private char[][] pages = new char[4][];
  private int[] documents = new int[PAGE];
  private int size;

  /** Stores the signature in {@code hasher} for document {@code document}. */
  void add(int document, MinHasher hasher) {
    int page = size >>> PAGE_BITS;
    if (page == pages.length) {
      pages = Arrays.copyOf(pages, pages.length * 2);
    }
    if (pages[page] == null) {
      pages[page] = new char[PAGE_CHARS];
    }
    if (size == documents.length) {
      documents = Arrays.copyOf(documents, size * 2);
    }
    hasher.signature(pages[page], (size & (PAGE - 1)) * MinHasher.PERMUTATIONS);
    documents[size++] = document;
  }

  /** Signatures stored. */
  int size() {
    return size;
  }

  /** The document whose signature is in {@code slot}. */
  int document(int slot) {
    return documents[slot];
  }

  /** The rows per band for {@code threshold} (see the class comment). */
  static int rowsPerBand(double threshold) {
    int best = 1;
    for (int rows = 1; rows <= MinHasher.PERMUTATIONS; rows *= 2) {
      int bands = MinHasher.PERMUTATIONS / rows;
      double candidate = 1 - Math.pow(1 - Math.pow(threshold, rows), bands);
      if (candidate >= 0.99) {
        best = rows;
      }
    }
    return best;
  }

  /**
   * Finds the pairs whose estimated similarity is at least {@code threshold} and joins them into groups.
   *
   * @param groups receives the union of the confirmed pairs, by slot
   * @return the confirmed pairs that joined two groups (at most one fewer than the signatures), in the order found
   */
  List<Edge> findPairs(double threshold, UnionFind groups) {
    List<Edge> edges = new ArrayList<>();
    if (size < 2) {
      return edges;
    }
    int rows = rowsPerBand(threshold);
    int bands = MinHasher.PERMUTATIONS / rows;
    int slotBits = 32 - Integer.numberOfLeadingZeros(size - 1);
    long slotMask = (1L << slotBits) - 1;
    long[] keys = new long[size];
    for (int band = 0; band < bands; band++) {
      for (int slot = 0; slot < size; slot++) {
        keys[slot] = (bandHash(slot, band, rows) & ~slotMask) | slot;
      }
      Arrays.sort(keys);
      int start = 0;
      while (start < size) {
        long bucket = keys[start] & ~slotMask;
        int end = start + 1;
        while (end < size && (keys[end] & ~slotMask) == bucket) {
          end++;
        }
        for (int p = start; p < end - 1; p++) {
          int a = (int) (keys[p] & slotMask);
          for (int q = p + 1; q < Math.min(end, p + 1 + BUCKET_WINDOW); q++) {
            int b = (int) (keys[q] & slotMask);
            if (groups.find(a) == groups.find(b)) {
              continue;
            }
            double similarity = similarity(a, b);
            if (similarity >= threshold) {
              groups.union(a, b);
              edges.add(new Edge(a, b, similarity));
            }
          }
        }
        start = end;
      }
    }
    return edges;
  }

  /** The estimated Jaccard similarity of the documents in two slots. */
  double similarity(int a, int b) {
    return MinHasher.similarity(MinHasher.matches(
        pages[a >>> PAGE_BITS], (a & (PAGE - 1)) * MinHasher.PERMUTATIONS,
        pages[b >>> PAGE_BITS], (b & (PAGE - 1)) * MinHasher.PERMUTATIONS));
  }

  private long bandHash(int slot, int band, int rows) {
    char[] page = pages[slot >>> PAGE_BITS];
    int from = (slot & (PAGE - 1)) * MinHasher.PERMUTATIONS + band * rows;
    long h = band * 0x9E3779B97F4A7C15L;
    for (int i = from; i < from + rows; i++) {
      h = Long.rotateLeft(h ^ page[i], 21) * 0xBF58476D1CE4E5B9L;
    }
    return Texts.fmix(h);
  }

  /** Disjoint sets over slots {@code 0..n-1}, with path halving and union by size. */
  static final class UnionFind {
    private final int[] parent;
    private final int[] sizes;

    UnionFind(int n) {
      parent = new int[n];
      sizes = new int[n];
      for (int i = 0; i < n; i++) {
        parent[i] = i;
        sizes[i] = 1;
      }
    }

    int find(int x) {
      while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
      }
      return x;
    }

    void union(int a, int b) {
      int ra = find(a);
      int rb = find(b);
      if (ra == rb) {
        return;
      }
      if (sizes[ra] < sizes[rb]) {
        int t = ra;
        ra = rb;
        rb = t;
      }
      parent[rb] = ra;
      sizes[ra] += sizes[rb];
    }
  }
}
