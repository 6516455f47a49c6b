package dev.llmops.inference.quantize;

/**
 * How {@link ModelQuantizer} quantizes the activations (the float input) of each int8 matrix product at run time.
 * Weights are quantized ahead of time either way.
 */
public enum ActivationQuantization {

  /**
   * One symmetric int8 scale per token (per row of the activation), computed by a few graph operators in front of ONNX
   * Runtime's {@code MatMulIntegerToFloat}; products reading the same activation share them. The default. Each token
   * is quantized on its own, so a sequence gets the same result whatever it is batched with, and one token's outliers
   * do not coarsen the others: on all-MiniLM-L6-v2 the per-token cosine with the float model stays above 0.99.
   */
  PER_TOKEN,

  /**
   * One uint8 scale and zero point for the whole activation tensor, computed inside ONNX Runtime's
   * {@code DynamicQuantizeMatMul}: what onnxruntime's {@code quantize_dynamic} produces, and the fastest. One token with
   * large activations coarsens every token in the batch, so results depend on what is batched together, and products
   * whose inputs have outliers (the down projection after a transformer's GELU) lose the most: on all-MiniLM-L6-v2 the
   * per-token cosine with the float model drops to about 0.98.
   */
  PER_TENSOR
}
