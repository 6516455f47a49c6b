package dev.llmops.inference.generate;

import java.util.Objects;

/**
 * How an {@link OnnxChatModel} schedules generation. Immutable; start from {@link #defaults()}.
 *
 * @param scheduling continuous (the default) or static batching
 * @param maxBatchSequences most sequences in the cache and in one decode step
 * @param kvCacheBytes memory cap of the key/value cache blocks; a request whose prompt plus {@code maxNewTokens}
 *     cannot fit even alone is refused at once. Each ONNX Runtime call also needs its own input and output tensors
 *     on top of it: a decode call's padded past and present (a call that would span more positions than the cache
 *     holds is split by length), and a prefill call's logits ({@code prefillChunkTokens} x vocabulary floats)
 * @param blockTokens positions per cache block
 * @param prefillChunkTokens most prompt tokens prefilled between two decode steps (a longer prompt is prefilled
 *     in chunks, so running streams keep flowing)
 * @param queueCapacity most requests waiting for admission; more are refused with {@code RateLimitedException}
 */
public record SchedulerSettings(
    Scheduling scheduling,
    int maxBatchSequences,
    long kvCacheBytes,
    int blockTokens,
    int prefillChunkTokens,
    int queueCapacity) {

  /** Validates; the message names the bad value. */
  public SchedulerSettings {
    Objects.requireNonNull(scheduling, "scheduling");
    positive("maxBatchSequences", maxBatchSequences);
    positive("kvCacheBytes", kvCacheBytes);
    positive("blockTokens", blockTokens);
    positive("prefillChunkTokens", prefillChunkTokens);
    positive("queueCapacity", queueCapacity);
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive but was " + value);
    }
  }

  /** Continuous batching of up to 32 sequences in a 256 MiB cache of 16-token blocks, 512-token prefill chunks. */
  public static SchedulerSettings defaults() {
    return new SchedulerSettings(Scheduling.CONTINUOUS, 32, 256L << 20, 16, 512, 1024);
  }

  /** A copy with another scheduling. */
  public SchedulerSettings withScheduling(Scheduling value) {
    return new SchedulerSettings(value, maxBatchSequences, kvCacheBytes, blockTokens, prefillChunkTokens,
        queueCapacity);
  }

  /** A copy with another {@code maxBatchSequences}. */
  public SchedulerSettings withMaxBatchSequences(int value) {
    return new SchedulerSettings(scheduling, value, kvCacheBytes, blockTokens, prefillChunkTokens, queueCapacity);
  }

  /** A copy with another cache cap. */
  public SchedulerSettings withKvCacheBytes(long value) {
    return new SchedulerSettings(scheduling, maxBatchSequences, value, blockTokens, prefillChunkTokens,
        queueCapacity);
  }

  /** A copy with another block size. */
  public SchedulerSettings withBlockTokens(int value) {
    return new SchedulerSettings(scheduling, maxBatchSequences, kvCacheBytes, value, prefillChunkTokens,
        queueCapacity);
  }

  /** A copy with another prefill chunk. */
  public SchedulerSettings withPrefillChunkTokens(int value) {
    return new SchedulerSettings(scheduling, maxBatchSequences, kvCacheBytes, blockTokens, value, queueCapacity);
  }

  /** A copy with another queue capacity. */
  public SchedulerSettings withQueueCapacity(int value) {
    return new SchedulerSettings(scheduling, maxBatchSequences, kvCacheBytes, blockTokens, prefillChunkTokens,
        value);
  }
}
