package dev.llmops.inference.generate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The past key/value tensors of the sequences that decode together, kept from step to step so that a decode step
 * copies only the new position of each sequence instead of its whole cache.
 *
 * <p>Each sequence owns a row (slot) of {@code [slots, kvHeads, capacity, headDim]} per layer and key/value, its
 * positions left-aligned ({@code 0 .. length - 1}); the rest of the row is masked. A step feeds every slot one token
 * at position {@code capacity}; its new keys and values are appended to the slot (and to the sequence's cache
 * blocks, which stay the source of truth). A sequence that joins takes a free slot, filled once from its blocks; one
 * that leaves frees its slot. When a sequence outgrows the capacity, or too many slots are free, the tensors are
 * rebuilt from the blocks. Used by the scheduler thread only.
 */
final class DecodeBatch {

  private static final int GRANULE = 64;

  private final KvCache cache;
  private final int layers;
  private final int kvHeads;
  private final int headDim;
  private final int contextLength;
  private FloatBuffer[] past;
  private int slots;
  private int capacity;
  private @Nullable Generation[] occupant = new Generation[0];
  private int[] length = new int[0];
  private final Map<Generation, Integer> slotOf = new IdentityHashMap<>();

  DecodeBatch(KvCache cache, int layers, int kvHeads, int headDim, int contextLength) {
    this.cache = cache;
    this.layers = layers;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.contextLength = contextLength;
    this.past = new FloatBuffer[2 * layers];
  }

  int capacity() {
    return capacity;
  }

  /** The slot of {@code g}, which {@link #arrange} placed. */
  int slot(Generation g) {
    return slotOf.get(g);
  }

  /**
   * Places exactly {@code rows} in slots, each holding its {@code cached} positions, with room for one more:
   * frees the slots of sequences not in {@code rows}, fills new ones from their blocks, and rebuilds the tensors
   * when a sequence outgrows the capacity or more than half of the slots would be free.
   */
  void arrange(List<Generation> rows) {
    Map<Generation, Boolean> wanted = new IdentityHashMap<>();
    int longest = 0;
    for (Generation g : rows) {
      wanted.put(g, Boolean.TRUE);
      longest = Math.max(longest, g.cached);
    }
    for (int s = 0; s < slots; s++) {
      Generation g = occupant[s];
      if (g != null && (!wanted.containsKey(g) || length[s] != g.cached)) {
        occupant[s] = null;
        slotOf.remove(g);
      }
    }
    int joining = 0;
    for (Generation g : rows) {
      if (!slotOf.containsKey(g)) {
        joining++;
      }
    }
    int occupied = rows.size() - joining;
    int neededSlots = slots + Math.max(0, joining - (slots - occupied));
    boolean tooSparse = neededSlots > 4 && rows.size() * 2 < neededSlots;
    if (longest + 1 > capacity || tooSparse) {
      rebuild(rows, longest + 1 > capacity ? Math.min(contextLength, roundUp(longest + 1 + GRANULE / 2))
          : capacity);
      return;
    }
    for (Generation g : rows) {
      if (!slotOf.containsKey(g)) {
        int s = 0;
        while (s < slots && occupant[s] != null) {
          s++;
        }
        if (s == slots) {
          addSlot();
        }
        place(g, s);
      }
    }
  }

  /** One more (free) slot at the end; the buffers grow by half when full, keeping every slot's data in place. */
  private void addSlot() {
    int perSlot = kvHeads * capacity * headDim;
    int floats = (slots + 1) * perSlot;
    for (int i = 0; i < 2 * layers; i++) {
      if (past[i] == null || past[i].capacity() < floats) {
        FloatBuffer bigger = ByteBuffer.allocateDirect(Math.max(floats, (slots + 1) * 3 / 2 * perSlot)
            * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        if (past[i] != null) {
          bigger.put(0, past[i], 0, slots * perSlot);
        }
        past[i] = bigger;
      }
    }
    occupant = Arrays.copyOf(occupant, slots + 1);
    length = Arrays.copyOf(length, slots + 1);
    slots++;
  }

  /** Frees the slots of sequences that ended, so the batch does not keep them reachable. */
  void forgetDone() {
    for (int s = 0; s < slots; s++) {
      Generation g = occupant[s];
      if (g != null && g.done) {
        occupant[s] = null;
        slotOf.remove(g);
      }
    }
  }

  /** After a failed step: the tensors may be half written, so the next {@link #arrange} rebuilds them. */
  void invalidate() {
    capacity = 0;
    java.util.Arrays.fill(occupant, null);
    slotOf.clear();
  }

  private static int roundUp(int n) {
    return (n + GRANULE - 1) / GRANULE * GRANULE;
  }

  private void rebuild(List<Generation> rows, int newCapacity) {
    slots = rows.size();
    capacity = Math.max(newCapacity, 1);
    int floats = slots * kvHeads * capacity * headDim;
    for (int i = 0; i < 2 * layers; i++) {
      past[i] = past[i] != null && past[i].capacity() >= floats ? past[i] : ByteBuffer.allocateDirect(
          Math.max(1, floats) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
    occupant = new Generation[slots];
    length = new int[slots];
    slotOf.clear();
    for (int s = 0; s < rows.size(); s++) {
      place(rows.get(s), s);
    }
  }

  private void place(Generation g, int s) {
    cache.gatherAt(g.blocks, g.cached, past, s, capacity, 0);
    occupant[s] = g;
    length[s] = g.cached;
    slotOf.put(g, s);
  }

  /**
   * Fills the step's tokens, positions and mask for every slot (a free slot feeds token 0 at position 0 and sees
   * only itself).
   */
  void feed(DecoderSession.Step step) {
    step.shapeDecode(slots, capacity, past);
    int total = capacity + 1;
    for (int s = 0; s < slots; s++) {
      Generation g = occupant[s];
      step.mask.put(s * total + capacity, 1);
      if (g == null) {
        continue;
      }
      step.inputIds.put(s, g.cached < g.length ? g.tokens[g.cached] : 0); // 0: a finished member of a static batch
      step.positions.put(s, g.cached);
      for (int i = 0; i < length[s]; i++) {
        step.mask.put(s * total + i, 1);
      }
    }
  }

  /** After a step: appends the new position of each occupied slot from {@code present} to the slot. */
  void append(FloatBuffer[] present) {
    int total = capacity + 1;
    for (int s = 0; s < slots; s++) {
      Generation g = occupant[s];
      if (g == null || g.done) {
        continue;
      }
      for (int lk = 0; lk < 2 * layers; lk++) {
        for (int h = 0; h < kvHeads; h++) {
          int from = ((s * kvHeads + h) * total + capacity) * headDim;
          int to = ((s * kvHeads + h) * capacity + length[s]) * headDim;
          past[lk].put(to, present[lk], from, headDim);
        }
      }
      length[s]++;
    }
  }
}
