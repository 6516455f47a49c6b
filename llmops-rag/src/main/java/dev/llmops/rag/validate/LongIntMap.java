package dev.llmops.rag.validate;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} keys to non-negative {@code int} values, without boxing: 12 bytes per
 * entry at a load of at most one half. Not thread-safe.
 */
final class LongIntMap {
  private long[] keys = new long[1024];
  private int[] values = filled(1024);
  private int size;

  /** The value for {@code key}, or -1 after storing {@code value} for it when it had none. */
  int putIfAbsent(long key, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("values must not be negative but was " + value);
    }
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = (int) Texts.fmix(key) & mask; ; i = (i + 1) & mask) {
      if (values[i] < 0) {
        keys[i] = key;
        values[i] = value;
        size++;
        return -1;
      }
      if (keys[i] == key) {
        return values[i];
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = filled(keys.length);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] >= 0) {
        putIfAbsent(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int[] filled(int length) {
    int[] v = new int[length];
    Arrays.fill(v, -1);
    return v;
  }
}
