package dev.llmops.rag.validate;

import java.util.Arrays;

/** A growable list of {@code int}s without boxing. Not thread-safe. */
final class IntList {
  private int[] values = new int[64];
  private int size;

  void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  int get(int index) {
    if (index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " of a list of " + size);
    }
    return values[index];
  }

  int size() {
    return size;
  }
}
