package dev.llmops.inference;

import java.time.Duration;
import java.util.Objects;

/**
 * How a model's dynamic batcher groups concurrent requests into ONNX Runtime calls.
 *
 * <p>Every text (or window of a long text, or query/passage pair) becomes one row of a batch. The batcher
 * waits at most {@link #maxQueueDelay()} for more rows when it expects more to come (it tracks how many
 * rows were recently queued or running; a lone caller is not delayed once the last few batches were its own), then runs up to {@link #maxBatchSize()} rows
 * whose padded size stays within {@link #maxBatchTokens()}. Rows are grouped by length so padding stays small:
 * the waiting rows, sorted by length, are split into the batches that cost least, counting every padded token
 * plus {@link #runOverheadTokens()} for each extra ONNX Runtime call, and the batch holding the oldest row runs.
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
 * @param runOverheadTokens what one more ONNX Runtime call costs, in tokens' worth of compute: low values split rows
 *     of different lengths into separate batches to save padding, high values merge them into fewer calls
 * @param queueCapacity most rows waiting; more are refused with {@code RateLimitedException}
 * @param requestTimeout how long a call may wait for its result before it fails with
 *     {@code RequestTimeoutException}
 * @param workers threads that run batches. Two by default: while one waits for ONNX Runtime, the other assembles
 *     and runs the next batch, so the cores do not idle between calls. They share the session's intra-op thread
 *     pool, so more workers do not multiply ONNX Runtime's threads.
 */
public record BatchingSettings(
    int maxBatchSize,
    int maxBatchTokens,
    Duration maxQueueDelay,
    int runOverheadTokens,
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
    if (runOverheadTokens < 0) {
      throw new IllegalArgumentException("runOverheadTokens must not be negative but was " + runOverheadTokens);
    }
    requirePositive("queueCapacity", queueCapacity);
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive but was " + requestTimeout);
    }
    requirePositive("workers", workers);
  }

  /**
   * The defaults: 32 rows and 2,048 padded tokens per call, 2 ms delay, a call costs 16 tokens, 8,192 queued rows,
   * 60 s, two workers. Measured on a 2-core CPU with all-MiniLM-L6-v2: ONNX Runtime's tokens/s barely grow past
   * batches of eight 256-token rows and fall for sixteen; padding costs more than extra calls (a call is worth
   * about 16 tokens); two workers beat one by 10 to 30% with 16 callers.
   */
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
        .runOverheadTokens(runOverheadTokens)
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
    private int maxBatchTokens = 2_048;
    private Duration maxQueueDelay = Duration.ofMillis(2);
    private int runOverheadTokens = 16;
    private int queueCapacity = 8_192;
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int workers = 2;

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

    public Builder runOverheadTokens(int tokens) {
      this.runOverheadTokens = tokens;
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
      return new BatchingSettings(maxBatchSize, maxBatchTokens, maxQueueDelay, runOverheadTokens,
          queueCapacity, requestTimeout, workers);
    }
  }
}
