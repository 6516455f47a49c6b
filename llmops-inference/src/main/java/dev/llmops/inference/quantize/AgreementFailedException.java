package dev.llmops.inference.quantize;

import dev.llmops.core.InvalidRequestException;
import java.io.Serial;
import java.nio.file.Path;

/**
 * A rewritten model did not agree closely enough with the original, so it was not written. The message names both
 * files and the numbers; {@link #agreement()} gives them to code.
 */
public final class AgreementFailedException extends InvalidRequestException {
  @Serial private static final long serialVersionUID = 1L;

  private final double meanCosine;
  private final double minCosine;
  private final int samples;
  private final double threshold;
  private final Agreement.Criterion criterion;

  /**
   * Creates the exception.
   *
   * @param rewrite what was attempted, such as {@code "int8 quantization"}
   * @param input the original model
   * @param output the file that was not written
   * @param agreement the failed measurement
   */
  public AgreementFailedException(String rewrite, Path input, Path output, Agreement agreement) {
    super("the " + rewrite + " of " + input + " does not agree with the original: " + agreement
        + "; nothing was written to " + output);
    this.meanCosine = agreement.meanCosine();
    this.minCosine = agreement.minCosine();
    this.samples = agreement.samples();
    this.threshold = agreement.threshold();
    this.criterion = agreement.criterion();
  }

  /** The measurement that failed. */
  public Agreement agreement() {
    return new Agreement(meanCosine, minCosine, samples, threshold, criterion);
  }
}
