package dev.llmops.inference.quantize;

import java.util.Map;

/**
 * What {@link ModelQuantizer#quantize} did.
 *
 * @param quantized how many nodes were rewritten, by operator ({@code MatMul}, {@code Gemm}, {@code Gather})
 * @param skipped how many candidate nodes were left as they were, by reason (such as
 *     {@code "MatMul: weight is computed at run time"} for attention products)
 * @param inputBytes the size of the original model file
 * @param outputBytes the size of the written model file
 * @param agreement the check the written model passed
 */
public record QuantizationReport(
    Map<String, Integer> quantized, Map<String, Integer> skipped, long inputBytes, long outputBytes,
    Agreement agreement) {

  /** Copies the maps. */
  public QuantizationReport {
    quantized = Map.copyOf(quantized);
    skipped = Map.copyOf(skipped);
  }

  /** The number of rewritten nodes. */
  public int nodesQuantized() {
    return quantized.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The number of candidate nodes left as they were. */
  public int nodesSkipped() {
    return skipped.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The output size as a fraction of the input size. */
  public double sizeRatio() {
    return inputBytes == 0 ? 0 : (double) outputBytes / inputBytes;
  }
}
