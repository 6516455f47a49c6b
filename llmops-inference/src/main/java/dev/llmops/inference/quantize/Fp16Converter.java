package dev.llmops.inference.quantize;

import dev.llmops.inference.internal.onnx.OnnxFiles;
import dev.llmops.inference.internal.onnx.OnnxModel;
import java.nio.file.Path;

/**
 * Writes a float16 copy of an ONNX model, for GPU inference.
 *
 * <p>Float initializers and constants become float16, and so do the values computed from them: {@code Cast} to float,
 * {@code ConstantOfShape} and float value_info. Graph inputs and outputs keep float32 (Cast nodes are inserted at the
 * boundary), so callers feed and read the same tensors as before. Values that an operator needs in float32 (the scales
 * of {@code Resize}, every input of {@code Range}, {@code NonMaxSuppression} and {@code ai.onnx.ml} operators) are
 * cast back around it, and {@code Pow} runs in float32 too: squaring overflows float16 above 256, which LayerNorm's
 * variance can reach. Constants that only such inputs read stay float32. Models with control flow (If, Loop, Scan subgraphs) are refused. ONNX Runtime on a CPU runs the
 * result too, casting around kernels that lack float16, but slower than the original: the point is the GPU.
 *
 * <p>Stateless and thread-safe.
 */
public final class Fp16Converter {

  private Fp16Converter() {}

  /**
   * Converts {@code input} into {@code output}, which is written only if {@code check} passes and then replaces any
   * file there atomically.
   *
   * @param input the ONNX model to convert (self-contained, weights inside the file)
   * @param output where to write the float16 model; its directory must exist, and it must not be {@code input}
   * @param check compares the converted model with {@code input} before it is written
   * @return what was converted, the sizes and the agreement
   * @throws dev.llmops.core.NotFoundException when {@code input} does not exist
   * @throws dev.llmops.core.CorruptDataException when {@code input} is not a readable ONNX model; the message names it
   * @throws dev.llmops.core.InvalidRequestException when {@code output} is {@code input} or cannot be a file, when the
   *     model has nothing in float32, has control-flow subgraphs, or keeps weights in external data
   * @throws AgreementFailedException when the converted model does not pass {@code check}; nothing is written
   * @throws dev.llmops.core.UnavailableException when a file cannot be read or written
   */
  public static Fp16Report convert(Path input, Path output, AgreementCheck check) {
    CheckedOutput.checkPaths(input, output);
    OnnxModel model = OnnxFiles.read(input);
    Fp16Rewriter.Result result = new Fp16Rewriter(model).rewrite(input.toString());
    CheckedOutput.Written written = CheckedOutput.write(result.model(), input, output, check, "float16 conversion");
    return new Fp16Report(result.tensorsConverted(), result.castsInserted(), ModelQuantizer.size(input),
        written.bytes(), written.agreement());
  }
}
