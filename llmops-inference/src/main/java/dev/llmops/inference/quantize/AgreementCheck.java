package dev.llmops.inference.quantize;

import java.nio.file.Path;

/**
 * Compares a rewritten model with the one it came from, before the rewritten model is allowed to replace anything.
 * {@link ModelQuantizer} and {@link Fp16Converter} write their output only when the check {@linkplain
 * Agreement#passed() passes}.
 *
 * <p>Implementations must be safe to call from several threads if the same check is shared between rewrites;
 * {@link #syntheticEncoderInputs} is.
 */
@FunctionalInterface
public interface AgreementCheck {

  /**
   * Runs both models on the same inputs and measures how close their outputs are.
   *
   * @param original the model as it was
   * @param candidate the rewritten model, not yet in its final place
   * @return the measurement, with the threshold it is judged by
   * @throws dev.llmops.core.LlmOpsException when either model cannot be run; the rewrite is then abandoned too
   */
  Agreement measure(Path original, Path candidate);

  /**
   * A check for encoder models (BERT-style embedders, classifiers, cross-encoders) that needs no tokenizer: each sample
   * feeds both models the same random inputs with ONNX Runtime on the CPU and compares their first outputs.
   *
   * <p>Every graph input gets values by type and name: int64 inputs named like {@code *mask*} get ones,
   * {@code *type*} or {@code *segment*} zeros, {@code *position*} 0, 1, 2, ..., and any other (such as
   * {@code input_ids}) uniform random ids in [1000, 2000); float inputs get standard normal values. A dynamic first
   * dimension is 1 (batch), the other dynamic dimensions are the sample's sequence length, uniform in [8, 64]. A 3-D
   * output {@code [batch, sequence, hidden]} is compared position by position (the mean of per-token cosines), any
   * other output as one flattened vector.
   *
   * @param samples how many inputs to compare, at least one
   * @param seed the random seed: the same seed gives the same inputs
   * @param threshold the cosine every sample must reach, such as 0.99
   * @throws IllegalArgumentException when {@code samples} is below one or {@code threshold} is not finite
   */
  static AgreementCheck syntheticEncoderInputs(int samples, long seed, double threshold) {
    return new SyntheticEncoderCheck(samples, seed, threshold);
  }
}
