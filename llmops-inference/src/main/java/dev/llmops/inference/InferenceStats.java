package dev.llmops.inference;

/**
 * Counters of a model's batcher since it was built: what a benchmark or a health page wants to see. The same
 * figures go to Micrometer as {@code llmops.inference.*} meters.
 *
 * @param batches ONNX Runtime calls made
 * @param rows rows run (texts, windows of long texts, or query/passage pairs)
 * @param realTokens tokens of those rows before padding
 * @param paddedTokens tokens after padding (rows x longest row, summed over batches)
 * @param rejected rows refused because the queue was full
 * @param expired rows that timed out in the queue
 * @param runNanos time spent inside ONNX Runtime calls
 */
public record InferenceStats(
    long batches, long rows, long realTokens, long paddedTokens, long rejected, long expired, long runNanos) {

  /** The share of computed tokens that were padding, in [0, 1); 0 before the first batch. */
  public double paddingRatio() {
    return paddedTokens == 0 ? 0 : 1.0 - (double) realTokens / paddedTokens;
  }

  /** Rows per ONNX Runtime call; 0 before the first batch. */
  public double meanBatchSize() {
    return batches == 0 ? 0 : (double) rows / batches;
  }

  /** Real tokens per second of ONNX Runtime time; 0 before the first batch. */
  public double tokensPerSecond() {
    return runNanos == 0 ? 0 : realTokens * 1e9 / runNanos;
  }

  /** The counts accumulated between {@code earlier} and this snapshot. */
  public InferenceStats since(InferenceStats earlier) {
    return new InferenceStats(batches - earlier.batches, rows - earlier.rows, realTokens - earlier.realTokens,
        paddedTokens - earlier.paddedTokens, rejected - earlier.rejected, expired - earlier.expired,
        runNanos - earlier.runNanos);
  }
}
