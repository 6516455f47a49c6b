package dev.llmops.inference.quantize;

import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import dev.llmops.inference.internal.onnx.OnnxFiles;
import dev.llmops.inference.internal.onnx.OnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes an int8 copy of an ONNX model for CPU inference with ONNX Runtime, the way onnxruntime's
 * {@code quantize_dynamic} does: weights are stored as int8, activations are quantized at run time.
 *
 * <pre>{@code
 * QuantizationReport report = ModelQuantizer.int8Dynamic().build()
 *     .quantize(Path.of("model.onnx"), Path.of("model-int8.onnx"),
 *         AgreementCheck.syntheticEncoderInputs(8, 42, 0.99));
 * }</pre>
 *
 * <p>What is rewritten: every {@code MatMul} and {@code Gemm} whose weight is a constant 2-D float tensor becomes an
 * int8 product of ONNX Runtime, {@code com.microsoft:MatMulIntegerToFloat} behind a per-token quantization of its
 * input by default, or {@code com.microsoft:DynamicQuantizeMatMul} with a following bias {@code Add} folded in (see
 * {@link ActivationQuantization}); and, unless {@linkplain Builder#quantizeEmbeddings turned off}, every {@code Gather}
 * from a constant float table of 64 KiB or more (embeddings) gathers int8 rows. Weights are symmetric int8 with one
 * scale per output column (per row for tables), or one per tensor. Nodes that do not qualify, such as the
 * activation-by-activation products of attention, stay as they are and are counted by reason in the report. The
 * output needs ONNX Runtime: both products are its contrib operators.
 *
 * <p>The output is written only if {@code check} passes; see {@link AgreementCheck}. Instances are immutable and
 * thread-safe. A quantization holds the model file and its largest weight as floats in heap at once: the 90 MB
 * all-MiniLM-L6-v2 quantizes in a JVM with {@code -Xmx320m} (not in 256m).
 */
public final class ModelQuantizer {

  private final boolean perChannel;
  private final boolean quantizeEmbeddings;
  private final boolean reduceRange;
  private final ActivationQuantization activations;

  private ModelQuantizer(Builder builder) {
    this.perChannel = builder.perChannel;
    this.quantizeEmbeddings = builder.quantizeEmbeddings;
    this.reduceRange = builder.reduceRange;
    this.activations = builder.activations;
  }

  /**
   * A builder for dynamic int8 quantization: per-channel weights, embeddings included, full int8 range,
   * {@linkplain ActivationQuantization#PER_TOKEN per-token activations}.
   */
  public static Builder int8Dynamic() {
    return new Builder();
  }

  /**
   * Quantizes {@code input} into {@code output}, which is written only if {@code check} passes and then replaces any
   * file there atomically.
   *
   * @param input the ONNX model to quantize (self-contained, weights inside the file)
   * @param output where to write the int8 model; its directory must exist, and it must not be {@code input}
   * @param check compares the quantized model with {@code input} before it is written
   * @return what was quantized, the sizes and the agreement
   * @throws NotFoundException when {@code input} does not exist
   * @throws CorruptDataException when {@code input} is not a readable ONNX model (truncated, corrupt); the message names it
   * @throws InvalidRequestException when {@code output} is {@code input} or cannot be a file, when the model has no
   *     quantizable node, or when it keeps weights in external data
   * @throws AgreementFailedException when the quantized model does not pass {@code check}; nothing is written
   * @throws UnavailableException when a file cannot be read or written
   */
  public QuantizationReport quantize(Path input, Path output, AgreementCheck check) {
    CheckedOutput.checkPaths(input, output);
    OnnxModel model = OnnxFiles.read(input);
    Int8Rewriter.Result result = new Int8Rewriter(model, perChannel, quantizeEmbeddings, reduceRange, activations)
        .rewrite(input.toString());
    CheckedOutput.Written written = CheckedOutput.write(result.model(), input, output, check, "int8 quantization");
    return new QuantizationReport(result.quantized(), result.skipped(), size(input), written.bytes(),
        written.agreement());
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UnavailableException("cannot read the size of " + file + ": " + e, null, e);
    }
  }

  @Override
  public String toString() {
    return "ModelQuantizer.int8Dynamic().perChannel(" + perChannel + ").quantizeEmbeddings(" + quantizeEmbeddings
        + ").reduceRange(" + reduceRange + ").activations(" + activations + ")";
  }

  /** Configures a {@link ModelQuantizer}. Not thread-safe; {@link #build()} returns an immutable quantizer. */
  public static final class Builder {
    private boolean perChannel = true;
    private boolean quantizeEmbeddings = true;
    private boolean reduceRange;
    private ActivationQuantization activations = ActivationQuantization.PER_TOKEN;

    private Builder() {}

    /** How activations are quantized at run time; {@link ActivationQuantization#PER_TOKEN} by default. */
    public Builder activations(ActivationQuantization activations) {
      this.activations = Objects.requireNonNull(activations, "activations");
      return this;
    }

    /**
     * One scale per weight column (per row for embedding tables), the default; or one per tensor, which is what
     * onnxruntime's {@code quantize_dynamic} does without {@code per_channel} and loses more accuracy.
     */
    public Builder perChannel(boolean perChannel) {
      this.perChannel = perChannel;
      return this;
    }

    /**
     * Whether {@code Gather} from constant float tables (embeddings) is quantized too, the default. Embedding tables
     * are often most of an encoder's size (47 of all-MiniLM-L6-v2's 90 MB).
     */
    public Builder quantizeEmbeddings(boolean quantizeEmbeddings) {
      this.quantizeEmbeddings = quantizeEmbeddings;
      return this;
    }

    /**
     * Stores weights in [-63, 63] instead of [-127, 127]. Off by default. ONNX Runtime's documentation recommends it
     * for x86-64 CPUs with AVX2 or AVX-512 but without VNNI, whose u8 x s8 instructions can saturate on full-range
     * weights; it costs accuracy everywhere else.
     */
    public Builder reduceRange(boolean reduceRange) {
      this.reduceRange = reduceRange;
      return this;
    }

    /** The configured quantizer. */
    public ModelQuantizer build() {
      return new ModelQuantizer(this);
    }
  }
}
