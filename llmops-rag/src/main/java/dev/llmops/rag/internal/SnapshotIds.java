package dev.llmops.rag.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Snapshot ids: a sequence number that only grows within an index, and a random suffix unique across indexes. */
final class SnapshotIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private SnapshotIds() {}

  static String next(long sequence) {
    byte[] suffix = new byte[3];
    RANDOM.nextBytes(suffix);
    return "s" + sequence + "-" + HexFormat.of().formatHex(suffix);
  }
}
