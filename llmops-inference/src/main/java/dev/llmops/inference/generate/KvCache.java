package dev.llmops.inference.generate;

import java.nio.FloatBuffer;
import java.util.ArrayDeque;

/**
 * The key/value cache of every running sequence, in fixed-size blocks under a memory cap (the paged layout of vLLM,
 * kept on the Java heap). A block holds {@code blockTokens} positions of keys and values of every layer and head,
 * laid out {@code [layer][key|value][head][slot][dim]}; a sequence owns a list of blocks (its block table) and
 * grows one block at a time. Blocks are allocated on first use and recycled, never more than {@link #totalBlocks()}.
 *
 * <p>Before each ONNX Runtime call the running sequences' blocks are copied into the padded
 * {@code past_key_values} tensors ({@link #gather}), and the new positions of {@code present} are copied back
 * ({@link #scatter}). Used by the scheduler thread only.
 */
final class KvCache {

  private final int layers;
  private final int kvHeads;
  private final int headDim;
  private final int blockTokens;
  private final int totalBlocks;
  private final float[][] blocks;
  private final ArrayDeque<Integer> free = new ArrayDeque<>();
  private int allocated;
  private int used;

  KvCache(int layers, int kvHeads, int headDim, int blockTokens, int totalBlocks) {
    this.layers = layers;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.blockTokens = blockTokens;
    this.totalBlocks = totalBlocks;
    this.blocks = new float[totalBlocks][];
  }

  int blockTokens() {
    return blockTokens;
  }

  int totalBlocks() {
    return totalBlocks;
  }

  int usedBlocks() {
    return used;
  }

  int freeBlocks() {
    return totalBlocks - used;
  }

  /** Blocks needed to hold {@code tokens} positions. */
  int blocksFor(int tokens) {
    return (tokens + blockTokens - 1) / blockTokens;
  }

  /** Bytes of one block. */
  static long blockBytes(int layers, int kvHeads, int headDim, int blockTokens) {
    return 2L * layers * kvHeads * headDim * blockTokens * Float.BYTES;
  }

  /**
   * Grows {@code table} to cover {@code tokens} positions, all or nothing.
   *
   * @return whether the blocks were free
   */
  boolean reserve(BlockTable table, int tokens) {
    int missing = blocksFor(tokens) - table.size();
    if (missing <= 0) {
      return true;
    }
    if (missing > freeBlocks()) {
      return false;
    }
    for (int i = 0; i < missing; i++) {
      table.add(take());
    }
    return true;
  }

  /** Gives every block of {@code table} back and empties it. */
  void release(BlockTable table) {
    for (int i = 0; i < table.size(); i++) {
      free.push(table.get(i));
      used--;
    }
    table.clear();
  }

  private int take() {
    used++;
    if (!free.isEmpty()) {
      return free.pop();
    }
    int id = allocated++;
    blocks[id] = new float[layers * 2 * kvHeads * blockTokens * headDim];
    return id;
  }

  /**
   * Copies the first {@code length} positions of a sequence into row {@code row} of padded past tensors
   * {@code [rows, kvHeads, past, headDim]}, right-aligned (positions {@code past - length .. past - 1}).
   *
   * @param past one buffer per layer and key/value: index {@code 2 * layer} keys, {@code 2 * layer + 1} values
   */
  void gather(BlockTable table, int length, FloatBuffer[] past, int row, int pastLength) {
    gatherAt(table, length, past, row, pastLength, pastLength - length);
  }

  /** {@link #gather} to positions {@code start .. start + length - 1} of the row. */
  void gatherAt(BlockTable table, int length, FloatBuffer[] past, int row, int pastLength, int start) {
    for (int lk = 0; lk < 2 * layers; lk++) {
      FloatBuffer target = past[lk];
      for (int h = 0; h < kvHeads; h++) {
        int rowBase = ((row * kvHeads + h) * pastLength + start) * headDim;
        int source = (lk * kvHeads + h) * blockTokens * headDim;
        for (int done = 0; done < length; done += blockTokens) {
          int n = Math.min(blockTokens, length - done);
          target.put(rowBase + done * headDim, blocks[table.get(done / blockTokens)], source, n * headDim);
        }
      }
    }
  }

  /**
   * Copies the last {@code count} positions of row {@code row} of present tensors {@code [rows, kvHeads, total,
   * headDim]} into positions {@code from .. from + count - 1} of a sequence, whose table must cover them.
   */
  void scatter(BlockTable table, int from, int count, FloatBuffer[] present, int row, int totalLength) {
    int start = totalLength - count;
    for (int lk = 0; lk < 2 * layers; lk++) {
      FloatBuffer source = present[lk];
      for (int h = 0; h < kvHeads; h++) {
        int rowBase = ((row * kvHeads + h) * totalLength + start) * headDim;
        int blockBase = (lk * kvHeads + h) * blockTokens * headDim;
        int t = 0;
        while (t < count) {
          int position = from + t;
          int slot = position % blockTokens;
          int n = Math.min(blockTokens - slot, count - t);
          source.get(rowBase + t * headDim, blocks[table.get(position / blockTokens)], blockBase + slot * headDim,
              n * headDim);
          t += n;
        }
      }
    }
  }

  /** The block ids of one sequence, in position order. */
  static final class BlockTable {
    private int[] ids = new int[8];
    private int size;

    int size() {
      return size;
    }

    int get(int i) {
      return ids[i];
    }

    void add(int id) {
      if (size == ids.length) {
        ids = java.util.Arrays.copyOf(ids, size * 2);
      }
      ids[size++] = id;
    }

    void clear() {
      size = 0;
    }
  }
}
