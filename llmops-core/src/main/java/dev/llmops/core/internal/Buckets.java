package dev.llmops.core.internal;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic assignment of units (users, sessions, tenants) to one of 10,000 buckets: the same key and
 * unit always land in the same bucket, on every machine and JVM, and different keys shuffle units
 * independently. 64-bit FNV-1a over the UTF-8 bytes of {@code key + '\0' + unit}, then a murmur3 finaliser.
 */
public final class Buckets {

  /** The number of buckets. */
  public static final int COUNT = 10_000;

  private static final byte[] SEPARATOR = {0};

  private Buckets() {}

  /** The bucket, in {@code [0, 10000)}, of {@code unit} under {@code key}. */
  public static int of(String key, String unit) {
    long h = 0xcbf29ce484222325L;
    h = mix(h, key.getBytes(StandardCharsets.UTF_8));
    h = mix(h, SEPARATOR);
    h = mix(h, unit.getBytes(StandardCharsets.UTF_8));
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) Long.remainderUnsigned(h, COUNT);
  }

  private static long mix(long h, byte[] bytes) {
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
