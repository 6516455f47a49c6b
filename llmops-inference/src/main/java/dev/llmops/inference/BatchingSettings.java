package dev.llmops.inference;

import java.time.Duration;
import java.util.Objects;

/**
 * How a model's dynamic batcher groups concurrent requests into ONNX Runtime calls.
 *
 * <p>Every text (or window of a long text, or query/passage pair) becomes one row of a batch. The batcher
 * waits at most {@link #maxQueueDelay()} for more rows when it expects more to come (it tracks how many
 * callers were recently active; a lone caller is never delayed), then runs up to {@link #maxBatchSize()} rows
 * whose padded size stays within {@link #maxBatchTokens()}. Rows of similar length are grouped so padding stays
 * small: a row joins a batch only while the batch's padding stays under {@link #maxPaddingRatio()}, or while
 * the batch is so small ({@link #smallBatchTokens()}) that one more run would cost more than the padding.
 * Results always come back in the caller's order. When {@link #queueCapacity()} rows are already waiting, new
 * requests are refused at once with a {@link dev.llmops.core.RateLimitedException} instead of waiting without
 * bound.
 *
 * <p>Immutable; build with {@link #builder()} or start from {@link #defaults()}.
 *
 * @param maxBatchSize most rows in one ONNX Runtime call
 * @param maxBatchTokens most padded tokens (rows x longest row) in one call; a single row longer than this
 *     still runs, alone
 * @param maxQueueDelay longest time the oldest waiting row is held back to let a batch fill
 * @param maxPaddingRatio largest share of padding tokens a batch may have once it is past
 *     {@code smallBatchTokens}
 * @param smallBatchTokens padded size below which rows are merged whatever their lengths
 * @param queueCapacity most rows waiting; more are refused with {@code RateLimitedException}
 * @param requestTimeout how long a call may wait for its result before it fails with
 *     {@code RequestTimeoutException}
 * @param workers threads that run batches; one is right for a CPU (ONNX Runtime already uses every core within
 *     a call), two can keep a GPU busy while the next batch is assembled
 */
public record BatchingSettings(
    int maxBatchSize,
    int maxBatchTokens,
    Duration maxQueueDelay,
    double maxPaddingRatio,
    int smallBatchTokens,
    int queueCapacity,
    Duration requestTimeout,
    int workers) {

  public BatchingSettings {
    requirePositive("maxBatchSize", maxBatchSize);
    requirePositive("maxBatchTokens", maxBatchTokens);
    Objects.requireNonNull(maxQueueDelay, "maxQueueDelay");
    if (maxQueueDelay.isNegative()) {
      throw new IllegalArgumentException("maxQueueDelay must not be negative but was " + maxQueueDelay);
    }
    if (!(maxPaddingRatio >= 0 && maxPaddingRatio < 1)) {
      throw new IllegalArgumentException("maxPaddingRatio must be in [0, 1) but was " + maxPaddingRatio);
    }
    if (smallBatchTokens < 0) {
      throw new IllegalArgumentException("smallBatchTokens must not be negative but was " + smallBatchTokens);
    }
    requirePositive("queueCapacity", queueCapacity);
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive but was " + requestTimeout);
    }
    requirePositive("workers", workers);
  }

  /** The defaults: 32 rows, 16,384 tokens, 2 ms delay, 30% padding, 8,192 queued rows, 60 s, one worker. */
  public static BatchingSettings defaults() {
    return builder().build();
  }

  /** No batching: every row runs alone, as soon as a worker is free (for comparisons and debugging). */
  public static BatchingSettings unbatched() {
    return builder().maxBatchSize(1).maxQueueDelay(Duration.ZERO).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder()
        .maxBatchSize(maxBatchSize)
        .maxBatchTokens(maxBatchTokens)
        .maxQueueDelay(maxQueueDelay)
        .maxPaddingRatio(maxPaddingRatio)
        .smallBatchTokens(smallBatchTokens)
        .queueCapacity(queueCapacity)
        .requestTimeout(requestTimeout)
        .workers(workers);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive but was " + value);
    }
  }

  /** Builds {@link BatchingSettings}; {@link #build()} checks every value and names the bad one. */
  public static final class Builder {
    private int maxBatchSize = 32;
    private int maxBatchTokens = 16_384;
    private Duration maxQueueDelay = Duration.ofMillis(2);
    private double maxPaddingRatio = 0.3;
    private int smallBatchTokens = 256;
    private int queueCapacity = 8_192;
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int workers = 1;

    private Builder() {}

    public Builder maxBatchSize(int rows) {
      this.maxBatchSize = rows;
      return this;
    }

    public Builder maxBatchTokens(int tokens) {
      this.maxBatchTokens = tokens;
      return this;
    }

    public Builder maxQueueDelay(Duration delay) {
      this.maxQueueDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    public Builder maxPaddingRatio(double ratio) {
      this.maxPaddingRatio = ratio;
      return this;
    }

    public Builder smallBatchTokens(int tokens) {
      this.smallBatchTokens = tokens;
      return this;
    }

    public Builder queueCapacity(int rows) {
      this.queueCapacity = rows;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder workers(int threads) {
      this.workers = threads;
      return this;
    }

    public BatchingSettings build() {
      return new BatchingSettings(maxBatchSize, maxBatchTokens, maxQueueDelay, maxPaddingRatio, smallBatchTokens,
          queueCapacity, requestTimeout, workers);
    }
  }
}
