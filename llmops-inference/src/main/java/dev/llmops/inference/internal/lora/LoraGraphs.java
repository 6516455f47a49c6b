package dev.llmops.inference.internal.lora;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.inference.internal.onnx.GraphBuilder;
import dev.llmops.inference.internal.onnx.TensorProto;
import java.util.List;

/**
 * Adds LoRA slots to graphs built with {@link GraphBuilder}: a weight product {@code x @ W} becomes
 * {@code x @ W + ((x @ A) @ B) * scale}, where {@code A} and {@code B} are graph inputs whose defaults (initializers
 * of the same names) are zeros, so the model computes {@code x @ W} exactly unless a run feeds them, which is what
 * an active ONNX Runtime LoRA adapter does.
 *
 * <p>The rank dimension of {@code A} and {@code B} is declared by name ({@code <prefix>.lora_rank}), so adapters of
 * any rank fit one model. {@code scale} is a constant of the graph (PEFT's {@code lora_alpha / r}); an adapter
 * trained with another scale folds the ratio into its {@code B}.
 *
 * <pre>{@code
 * GraphBuilder b = new GraphBuilder();
 * b.input("x", DataType.FLOAT, "batch", 4L);
 * String w = b.floats("w", new long[] {4, 3}, weights);
 * LoraGraphs.Slot slot = LoraGraphs.loraMatMul(b, "x", w, "proj", 4, 3, 2, 0.5f);
 * b.output(slot.output(), DataType.FLOAT, "batch", 3L);
 * // an adapter for this model has parameters slot.a() [4, r] and slot.b() [r, 3]
 * }</pre>
 *
 * <p>Stateless; the builder it is given is not thread-safe.
 */
public final class LoraGraphs {

  /**
   * The names one LoRA'd product added to the graph.
   *
   * @param a the input holding {@code A} ({@code [in, rank]}), {@code <prefix>.lora_A}
   * @param b the input holding {@code B} ({@code [rank, out]}), {@code <prefix>.lora_B}
   * @param output the value holding {@code x @ W + ((x @ A) @ B) * scale}
   */
  public record Slot(String a, String b, String output) {}

  private LoraGraphs() {}

  /**
   * Adds {@code x @ weight + ((x @ A) @ B) * scale} to {@code builder}, with {@code A} and {@code B} graph inputs
   * named {@code <prefix>.lora_A} and {@code <prefix>.lora_B} that default to zeros of rank {@code defaultRank}.
   * {@code x} is a float tensor whose last dimension is {@code in} (any leading dimensions); {@code weight} is a
   * float value of shape {@code [in, out]}.
   *
   * @throws InvalidRequestException when a size is not positive or too large, or the input names are taken in the builder
   */
  public static Slot loraMatMul(GraphBuilder builder, String x, String weight, String prefix, long in, long out,
      int defaultRank, float scale) {
    if (in <= 0 || out <= 0 || defaultRank <= 0 || in * defaultRank > Integer.MAX_VALUE
        || out * defaultRank > Integer.MAX_VALUE) {
      throw new InvalidRequestException("a LoRA slot needs positive sizes whose products fit an int, got in=" + in + ", out=" + out
          + ", rank=" + defaultRank + " for '" + prefix + "'");
    }
    String rank = prefix + ".lora_rank";
    String a = builder.inputWithDefault(
        TensorProto.ofFloats(prefix + ".lora_A", new long[] {in, defaultRank}, new float[(int) (in * defaultRank)]),
        in, rank);
    String b = builder.inputWithDefault(
        TensorProto.ofFloats(prefix + ".lora_B", new long[] {defaultRank, out}, new float[(int) (defaultRank * out)]),
        rank, out);
    String base = builder.op("MatMul", List.of(x, weight));
    String down = builder.op("MatMul", List.of(x, a));
    String up = builder.op("MatMul", List.of(down, b));
    String factor = builder.floats(prefix + ".lora_scale", new long[0], scale);
    String scaled = builder.op("Mul", List.of(up, factor));
    String output = builder.op("Add", List.of(base, scaled));
    return new Slot(a, b, output);
  }
}
