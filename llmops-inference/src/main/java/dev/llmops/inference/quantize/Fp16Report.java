package dev.llmops.inference.quantize;

/**
 * What {@link Fp16Converter#convert} did.
 *
 * @param tensorsConverted float initializers and constant values stored as float16 now
 * @param castsInserted Cast nodes added at the float32 graph inputs and outputs and around operators that need float32
 * @param inputBytes the size of the original model file
 * @param outputBytes the size of the written model file
 * @param agreement the check the written model passed
 */
public record Fp16Report(int tensorsConverted, int castsInserted, long inputBytes, long outputBytes,
    Agreement agreement) {

  /** The output size as a fraction of the input size. */
  public double sizeRatio() {
    return inputBytes == 0 ? 0 : (double) outputBytes / inputBytes;
  }
}
