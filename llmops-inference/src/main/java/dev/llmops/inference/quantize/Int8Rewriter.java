package dev.llmops.inference.quantize;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.inference.internal.onnx.DataType;
import dev.llmops.inference.internal.onnx.GraphBuilder;
import dev.llmops.inference.internal.onnx.OnnxAttribute;
import dev.llmops.inference.internal.onnx.OnnxGraph;
import dev.llmops.inference.internal.onnx.OnnxModel;
import dev.llmops.inference.internal.onnx.OnnxNode;
import dev.llmops.inference.internal.onnx.OnnxValueInfo;
import dev.llmops.inference.internal.onnx.TensorProto;
import dev.llmops.inference.internal.onnx.UniqueNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The graph rewrite behind {@link ModelQuantizer#int8Dynamic()}. One instance rewrites one graph; not thread-safe.
 *
 * <ul>
 *   <li>{@code MatMul(A, W)} with a constant 2-D float {@code W} becomes ONNX Runtime's
 *       {@code com.microsoft:DynamicQuantizeMatMul(A, Wq, scale, zero_point[, bias])}: the weight is stored as
 *       symmetric int8 (zero point 0), and the activation is quantized to uint8 at run time by the operator. An
 *       {@code Add} of a constant vector that is the product's only reader is folded in as the bias. With per-token
 *       activations the product is instead {@code MatMulIntegerToFloat(QuantizeLinear(A / s), Wq, s, scale, 128, 0)}
 *       where {@code s = max(|A|) / 127} per row, shared by every product that reads the same {@code A}; the bias
 *       stays a separate {@code Add} (the operator would multiply a fused bias by the per-row scale).</li>
 *   <li>{@code Gemm(A, B[, C])} with alpha 1, A not transposed, constant B (transposed when {@code transB}) and a
 *       constant C of N values (beta 1) becomes the same operator with C as the bias.</li>
 *   <li>{@code Gather(table, ids)} from a constant 2-D float table (embeddings) gathers int8 rows and scales them back:
 *       per row, {@code Gather(Tq) -> Cast -> Mul(Gather(row_scale))}; per tensor, {@code Gather(Tq) ->
 *       DequantizeLinear}.</li>
 * </ul>
 *
 * <p>A weight used by several nodes is quantized once. Float weights nobody reads any more are removed. Tables under
 * 64 KiB stay float.
 */
final class Int8Rewriter {

  static final String MS_DOMAIN = "com.microsoft";

  /**
   * Embedding tables below this many floats (64 KiB) stay float: they save nothing worth having, and tables of a few
   * rows (BERT's token type embeddings: 2 x 384) carry outliers that int8 rows round badly.
   */
  static final long MIN_TABLE_ELEMENTS = 16 * 1024;

  /** The rewritten model and what happened to each candidate node. */
  record Result(OnnxModel model, Map<String, Integer> quantized, Map<String, Integer> skipped) {}

  /** A quantized weight: the int8 tensor, its scale and zero point (names of initializers; no zero point: ""). */
  private record Quantized(String weight, String scale, String zeroPoint) {}

  private final boolean perChannel;
  private final boolean embeddings;
  private final ActivationQuantization activations;
  private final int qmax;
  private final long defaultOpset;
  private final OnnxModel model;
  private final OnnxGraph graph;
  private final Map<String, TensorProto> initializers;
  private final Set<String> graphInputs;
  private final UniqueNames names;
  private final Map<String, Quantized> cache = new HashMap<>();
  private final Map<String, String> biases = new HashMap<>();
  private final List<TensorProto> added = new ArrayList<>();
  private final Set<String> replaced = new HashSet<>();
  private final Map<String, Integer> quantized = new TreeMap<>();
  private final Map<String, Integer> skipped = new TreeMap<>();
  private final List<OnnxNode> nodes = new ArrayList<>();
  /** Per-token quantized activations by float name: the uint8 value and its per-row scale. */
  private final Map<String, List<String>> tokenQuantized = new HashMap<>();
  private final Map<String, String> constants = new HashMap<>();

  /** A rewriter of {@code model}; reduced range stores weights in [-63, 63] instead of [-127, 127]. */
  Int8Rewriter(OnnxModel model, boolean perChannel, boolean embeddings, boolean reduceRange,
      ActivationQuantization activations) {
    this.perChannel = perChannel;
    this.embeddings = embeddings;
    this.activations = activations;
    this.qmax = reduceRange ? 63 : 127;
    this.defaultOpset = model.opsetVersion("").orElse(1);
    this.model = model;
    this.graph = model.graph();
    this.initializers = graph.initializersByName();
    this.graphInputs = graph.inputNames();
    this.names = new UniqueNames(graph);
  }

  /**
   * Rewrites the model; call once.
   *
   * @param source names the model in messages
   * @throws InvalidRequestException when no node could be quantized
   */
  Result rewrite(String source) {
    Map<String, List<Integer>> readers = readers(graph);
    Set<String> keep = new HashSet<>(graph.outputNames());
    for (OnnxNode node : graph.nodes()) {
      for (OnnxAttribute attribute : node.attributes()) {
        attribute.subgraphs().forEach(g -> keep.addAll(g.namesRead()));
      }
    }
    Set<Integer> folded = new HashSet<>();
    List<OnnxNode> all = graph.nodes();
    for (int i = 0; i < all.size(); i++) {
      if (folded.contains(i)) {
        continue;
      }
      OnnxNode node = all.get(i);
      if (node.is("MatMul") && node.inputs().size() == 2) {
        matMul(node, readers, keep, folded);
      } else if (node.is("Gemm")) {
        gemm(node);
      } else if (node.is("Gather") && embeddings && isFloatTable(node.inputs().get(0))) {
        gather(node);
      } else {
        nodes.add(node);
      }
    }
    if (quantized.isEmpty()) {
      throw new InvalidRequestException("the model " + source + " has no node the int8 quantizer can rewrite (MatMul or"
          + " Gemm with a constant 2-D float weight" + (embeddings ? ", Gather from a constant float table" : "")
          + ")" + (skipped.isEmpty() ? "" : "; skipped: " + skipped));
    }
    OnnxModel rewritten = model.withGraph(cleanUp());
    if (nodes.stream().anyMatch(n -> MS_DOMAIN.equals(n.domain()))) {
      rewritten = rewritten.withOpsetImport(MS_DOMAIN, 1);
    }
    return new Result(rewritten, quantized, skipped);
  }

  private void matMul(OnnxNode node, Map<String, List<Integer>> readers, Set<String> keep, Set<Integer> folded) {
    String weight = node.inputs().get(1);
    String problem = weightProblem(weight);
    if (problem != null) {
      skip("MatMul", problem, node);
      return;
    }
    TensorProto w = initializers.get(weight);
    long columns = w.dims().get(1);
    Quantized q = cache.computeIfAbsent("columns:" + weight, k -> quantizeColumns(w, false));
    replaced.add(weight);
    count(quantized, "MatMul");
    if (perToken()) {
      emitPerToken(node.inputs().get(0), q, null, node.outputs().get(0));
      return;
    }
    String output = node.outputs().get(0);
    String bias = null;
    List<Integer> outputReaders = readers.getOrDefault(output, List.of());
    if (outputReaders.size() == 1 && !keep.contains(output)) {
      OnnxNode add = graph.nodes().get(outputReaders.get(0));
      if (add.is("Add") && add.inputs().size() == 2) {
        String other = add.inputs().get(0).equals(output) ? add.inputs().get(1) : add.inputs().get(0);
        if (!other.equals(output) && isConstantVector(other, columns)) {
          bias = other;
          output = add.outputs().get(0);
          folded.add(outputReaders.get(0));
        }
      }
    }
    emitDynamicMatMul(node, node.inputs().get(0), q, bias, output);
  }

  private void gemm(OnnxNode node) {
    if (node.floatAttribute("alpha", 1f) != 1f || node.intAttribute("transA", 0) != 0) {
      skip("Gemm", "alpha is not 1 or A is transposed", node);
      return;
    }
    String weight = node.inputs().get(1);
    String problem = weightProblem(weight);
    if (problem != null) {
      skip("Gemm", problem, node);
      return;
    }
    TensorProto w = initializers.get(weight);
    boolean transposed = node.intAttribute("transB", 0) != 0;
    long columns = w.dims().get(transposed ? 0 : 1);
    String bias = null;
    if (node.inputs().size() > 2 && !node.inputs().get(2).isEmpty()) {
      String c = node.inputs().get(2);
      if (node.floatAttribute("beta", 1f) != 1f || !isConstantVector(c, columns)) {
        skip("Gemm", "C is not a constant vector of N values with beta 1", node);
        return;
      }
      bias = vectorBias(c);
    }
    Quantized q = cache.computeIfAbsent((transposed ? "rows:" : "columns:") + weight, k -> quantizeColumns(w, transposed));
    replaced.add(weight);
    if (perToken()) {
      emitPerToken(node.inputs().get(0), q, bias, node.outputs().get(0));
    } else {
      emitDynamicMatMul(node, node.inputs().get(0), q, bias, node.outputs().get(0));
    }
    count(quantized, "Gemm");
  }

  /** Whether products quantize their activation per token. QuantizeLinear needs opset 10. */
  private boolean perToken() {
    return activations == ActivationQuantization.PER_TOKEN && defaultOpset >= 10;
  }

  /** {@code output = MatMulIntegerToFloat(quantized a, weight) [+ bias]}, with {@code a} quantized per row once. */
  private void emitPerToken(String a, Quantized q, @Nullable String bias, String output) {
    List<String> quantizedA = tokenQuantized.computeIfAbsent(a, this::quantizePerToken);
    String product = bias == null ? output : names.claim(output + "_without_bias");
    nodes.add(named(GraphBuilder.node(MS_DOMAIN, "MatMulIntegerToFloat", List.of(quantizedA.get(0), q.weight(),
        quantizedA.get(1), q.scale(), constant("u8_128"), q.zeroPoint()), List.of(product)), output + "_int8"));
    if (bias != null) {
      nodes.add(named(GraphBuilder.node("Add", List.of(product, bias), List.of(output)), output + "_bias"));
    }
  }

  /** Emits {@code s = max(max(|a|), tiny) / 127} per row and {@code q = QuantizeLinear(a / s, 1, 128)}. */
  private List<String> quantizePerToken(String a) {
    String abs = names.claim(a + "_abs");
    String max = names.claim(a + "_row_max");
    String safe = names.claim(a + "_row_max_nonzero");
    String scale = names.claim(a + "_row_scale");
    String scaled = names.claim(a + "_scaled");
    String quantizedA = names.claim(a + "_uint8");
    nodes.add(named(GraphBuilder.node("Abs", List.of(a), List.of(abs)), abs));
    if (defaultOpset >= 18) { // ReduceMax takes its axes as an input from opset 18
      nodes.add(named(GraphBuilder.node("ReduceMax", List.of(abs, constant("axes_last")), List.of(max),
          OnnxAttribute.of("keepdims", 1L)), max));
    } else {
      nodes.add(named(GraphBuilder.node("ReduceMax", List.of(abs), List.of(max), OnnxAttribute.ofInts("axes", -1),
          OnnxAttribute.of("keepdims", 1L)), max));
    }
    nodes.add(named(GraphBuilder.node("Max", List.of(max, constant("tiny")), List.of(safe)), safe));
    nodes.add(named(GraphBuilder.node("Mul", List.of(safe, constant("inverse_127")), List.of(scale)), scale));
    nodes.add(named(GraphBuilder.node("Div", List.of(a, scale), List.of(scaled)), scaled));
    nodes.add(named(GraphBuilder.node("QuantizeLinear", List.of(scaled, constant("one"), constant("u8_128")),
        List.of(quantizedA)), quantizedA));
    return List.of(quantizedA, scale);
  }

  /** A shared scalar constant of the per-token subgraphs, added on first use. */
  private String constant(String key) {
    return constants.computeIfAbsent(key, k -> {
      String name = names.claim("llmops_int8_" + k);
      added.add(switch (k) {
        case "u8_128" -> TensorProto.ofBytes(name, DataType.UINT8, new long[0], new byte[] {(byte) 128});
        case "tiny" -> TensorProto.ofFloats(name, new long[0], new float[] {1e-30f});
        case "inverse_127" -> TensorProto.ofFloats(name, new long[0], new float[] {1f / 127});
        case "one" -> TensorProto.ofFloats(name, new long[0], new float[] {1f});
        case "axes_last" -> TensorProto.ofLongs(name, new long[] {1}, new long[] {-1});
        default -> throw new IllegalArgumentException(k);
      });
      return name;
    });
  }

  private void gather(OnnxNode node) {
    String table = node.inputs().get(0);
    TensorProto t = initializers.get(table);
    if (t.dims().size() != 2) {
      skip("Gather", "table has rank " + t.dims().size() + ", not 2", node);
      return;
    }
    if (t.elementCount() < MIN_TABLE_ELEMENTS) {
      skip("Gather", "table under 64 KiB, kept in float (too small to matter, often sensitive)", node);
      return;
    }
    if (node.intAttribute("axis", 0) != 0) {
      skip("Gather", "gathers along axis " + node.intAttribute("axis", 0) + ", not 0", node);
      return;
    }
    if (!perChannel && defaultOpset < 10) {
      skip("Gather", "DequantizeLinear needs opset 10, the model imports " + defaultOpset, node);
      return;
    }
    String ids = node.inputs().get(1);
    String output = node.outputs().get(0);
    String base = node.name() != null ? node.name() : output;
    Quantized q = cache.computeIfAbsent("table:" + table, k -> quantizeRows(t));
    replaced.add(table);
    String rows = names.claim(output + "_quantized");
    nodes.add(named(GraphBuilder.node("Gather", List.of(q.weight(), ids), List.of(rows)), base + "_int8"));
    if (perChannel) {
      String scales = names.claim(output + "_row_scale");
      String floats = names.claim(output + "_int8_as_float");
      nodes.add(named(GraphBuilder.node("Gather", List.of(q.scale(), ids), List.of(scales)), base + "_row_scale"));
      nodes.add(named(GraphBuilder.node("Cast", List.of(rows), List.of(floats),
          OnnxAttribute.of("to", (long) DataType.FLOAT)), base + "_cast"));
      nodes.add(named(GraphBuilder.node("Mul", List.of(floats, scales), List.of(output)), base + "_dequantize"));
    } else {
      nodes.add(named(GraphBuilder.node("DequantizeLinear", List.of(rows, q.scale(), q.zeroPoint()), List.of(output)),
          base + "_dequantize"));
    }
    count(quantized, "Gather");
  }

  private void emitDynamicMatMul(OnnxNode node, String a, Quantized q, @Nullable String bias, String output) {
    List<String> inputs = new ArrayList<>(List.of(a, q.weight(), q.scale(), q.zeroPoint()));
    if (bias != null) {
      inputs.add(bias);
    }
    OnnxNode rewritten = GraphBuilder.node(MS_DOMAIN, "DynamicQuantizeMatMul", inputs, List.of(output));
    nodes.add(node.name() == null ? rewritten : new OnnxNode(rewritten.inputs(), rewritten.outputs(), node.name(),
        rewritten.opType(), rewritten.attributes(), null, MS_DOMAIN, rewritten.unknown()));
  }

  private @Nullable String weightProblem(String name) {
    TensorProto tensor = initializers.get(name);
    if (tensor == null) {
      return "weight is computed at run time";
    }
    if (graphInputs.contains(name)) {
      return "weight is also a graph input, so callers may replace it";
    }
    if (tensor.dataTypeOrUndefined() != DataType.FLOAT) {
      return "weight is " + DataType.name(tensor.dataTypeOrUndefined()) + ", not FLOAT";
    }
    if (tensor.dims().size() != 2) {
      return "weight has rank " + tensor.dims().size() + ", not 2";
    }
    return null;
  }

  private boolean isFloatTable(String name) {
    TensorProto tensor = initializers.get(name);
    return tensor != null && !graphInputs.contains(name) && tensor.dataTypeOrUndefined() == DataType.FLOAT;
  }

  /** Whether {@code name} is a constant float tensor of {@code n} values shaped [n] or [1, n]. */
  private boolean isConstantVector(String name, long n) {
    TensorProto tensor = initializers.get(name);
    if (tensor == null || graphInputs.contains(name) || tensor.dataTypeOrUndefined() != DataType.FLOAT) {
      return false;
    }
    List<Long> dims = tensor.dims();
    return dims.equals(List.of(n)) || dims.equals(List.of(1L, n));
  }

  /** The name of a [n] bias holding the values of the constant vector {@code name} (reshaped from [1, n] if needed). */
  private String vectorBias(String name) {
    TensorProto tensor = initializers.get(name);
    if (tensor.dims().size() == 1) {
      return name;
    }
    return biases.computeIfAbsent(name, k -> {
      String bias = names.claim(name + "_vector");
      added.add(TensorProto.ofFloats(bias, new long[] {tensor.dims().get(1)}, tensor.floats()));
      return bias;
    });
  }

  /** Quantizes a [K, N] weight (or the transpose of an [N, K] one) per column, or per tensor. */
  private Quantized quantizeColumns(TensorProto tensor, boolean transposed) {
    float[] values = tensor.floats();
    int rows = (int) (long) tensor.dims().get(transposed ? 1 : 0);
    int columns = (int) (long) tensor.dims().get(transposed ? 0 : 1);
    if (transposed) {
      float[] t = new float[values.length];
      for (int n = 0; n < columns; n++) {
        for (int k = 0; k < rows; k++) {
          t[k * columns + n] = values[n * rows + k];
        }
      }
      values = t;
    }
    float[] scales = new float[perChannel ? columns : 1];
    for (int i = 0; i < values.length; i++) {
      int s = perChannel ? i % columns : 0;
      scales[s] = Math.max(scales[s], Math.abs(values[i]));
    }
    toScales(scales);
    byte[] q = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      q[i] = quantize(values[i], scales[perChannel ? i % columns : 0]);
    }
    String base = tensor.nameOrEmpty();
    long[] scaleShape = perChannel ? new long[] {columns} : new long[0];
    return add(TensorProto.ofBytes(names.claim(base + "_quantized"), DataType.INT8, new long[] {rows, columns}, q),
        TensorProto.ofFloats(names.claim(base + "_scale"), scaleShape, scales),
        TensorProto.ofBytes(names.claim(base + "_zero_point"), DataType.INT8, scaleShape, new byte[scales.length]));
  }

  /** Quantizes a [V, D] table per row (scales shaped [V, 1], to broadcast over gathered rows), or per tensor. */
  private Quantized quantizeRows(TensorProto tensor) {
    float[] values = tensor.floats();
    int rows = (int) (long) tensor.dims().get(0);
    int width = (int) (long) tensor.dims().get(1);
    float[] scales = new float[perChannel ? rows : 1];
    for (int i = 0; i < values.length; i++) {
      int s = perChannel ? i / width : 0;
      scales[s] = Math.max(scales[s], Math.abs(values[i]));
    }
    toScales(scales);
    byte[] q = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      q[i] = quantize(values[i], scales[perChannel ? i / width : 0]);
    }
    String base = tensor.nameOrEmpty();
    TensorProto weight = TensorProto.ofBytes(names.claim(base + "_quantized"), DataType.INT8,
        new long[] {rows, width}, q);
    if (perChannel) { // Cast and Mul need no zero point
      TensorProto scale = TensorProto.ofFloats(names.claim(base + "_row_scale"), new long[] {rows, 1}, scales);
      added.add(weight);
      added.add(scale);
      return new Quantized(weight.nameOrEmpty(), scale.nameOrEmpty(), "");
    }
    return add(weight, TensorProto.ofFloats(names.claim(base + "_scale"), new long[0], scales),
        TensorProto.ofBytes(names.claim(base + "_zero_point"), DataType.INT8, new long[0], new byte[1]));
  }

  private Quantized add(TensorProto weight, TensorProto scale, TensorProto zeroPoint) {
    added.add(weight);
    added.add(scale);
    added.add(zeroPoint);
    return new Quantized(weight.nameOrEmpty(), scale.nameOrEmpty(), zeroPoint.nameOrEmpty());
  }

  /** Turns the largest magnitudes into symmetric scales; an all-zero slice gets scale 1 (its values stay 0). */
  private void toScales(float[] maxima) {
    for (int i = 0; i < maxima.length; i++) {
      maxima[i] = maxima[i] == 0 || !Float.isFinite(maxima[i]) ? 1f : maxima[i] / qmax;
    }
  }

  private byte quantize(float value, float scale) {
    double q = Math.rint(value / scale);
    return (byte) Math.max(-qmax, Math.min(qmax, q));
  }

  /** Drops the float weights nobody reads now and value_info of values that are gone; adds the int8 weights. */
  private OnnxGraph cleanUp() {
    OnnxGraph rewritten = graph.withNodes(nodes);
    Set<String> read = rewritten.namesRead();
    List<TensorProto> kept = new ArrayList<>();
    for (TensorProto tensor : graph.initializers()) {
      if (!replaced.contains(tensor.nameOrEmpty()) || read.contains(tensor.nameOrEmpty())) {
        kept.add(tensor);
      }
    }
    kept.addAll(added);
    Set<String> present = new HashSet<>(rewritten.inputNames());
    kept.forEach(t -> present.add(t.nameOrEmpty()));
    nodes.forEach(n -> present.addAll(n.outputs()));
    List<OnnxValueInfo> valueInfo = graph.valueInfo().stream().filter(v -> present.contains(v.name()))
        .collect(Collectors.toList());
    return rewritten.withInitializers(kept).withValueInfo(valueInfo);
  }

  private void skip(String op, String reason, OnnxNode node) {
    count(skipped, op + ": " + reason);
    nodes.add(node);
  }

  private static void count(Map<String, Integer> counts, String key) {
    counts.merge(key, 1, Integer::sum);
  }

  /** {@code node} under a node name no other node or value has. */
  private OnnxNode named(OnnxNode node, String name) {
    return new OnnxNode(node.inputs(), node.outputs(), names.claim(name), node.opType(), node.attributes(),
        node.docString(), node.domain(), node.unknown());
  }

  /** For each value, the indices of the top-level nodes that read it. */
  private static Map<String, List<Integer>> readers(OnnxGraph graph) {
    Map<String, List<Integer>> readers = new HashMap<>();
    List<OnnxNode> nodes = graph.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      for (String input : new HashSet<>(nodes.get(i).inputs())) {
        readers.computeIfAbsent(input, k -> new ArrayList<>()).add(i);
      }
    }
    return readers;
  }
}
