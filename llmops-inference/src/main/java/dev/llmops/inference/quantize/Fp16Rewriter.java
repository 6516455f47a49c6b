package dev.llmops.inference.quantize;

import com.google.protobuf.UnsafeByteOperations;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.inference.internal.onnx.DataType;
import dev.llmops.inference.internal.onnx.Float16;
import dev.llmops.inference.internal.onnx.GraphBuilder;
import dev.llmops.inference.internal.onnx.OnnxAttribute;
import dev.llmops.inference.internal.onnx.OnnxGraph;
import dev.llmops.inference.internal.onnx.OnnxModel;
import dev.llmops.inference.internal.onnx.OnnxNode;
import dev.llmops.inference.internal.onnx.OnnxValueInfo;
import dev.llmops.inference.internal.onnx.TensorProto;
import dev.llmops.inference.internal.onnx.UniqueNames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The graph rewrite behind {@link Fp16Converter}: float32 storage and computation become float16, with float32 kept at
 * the graph boundary and around operators that need it. One instance rewrites one graph; not thread-safe.
 */
final class Fp16Rewriter {

  /** The rewritten model and counts for the report. */
  record Result(OnnxModel model, int tensorsConverted, int castsInserted) {}

  /** Inputs that the ONNX specification types as float32 only, by operator. */
  private static final Map<String, Set<Integer>> FLOAT32_INPUTS = Map.of("Resize", Set.of(2), "Upsample", Set.of(1));

  /**
   * Operators that run in float32, with every float input and output cast around them: those without float16 in the
   * specification, and {@code Pow}, because squaring in float16 overflows above 256 (LayerNorm's variance) and because
   * ONNX Runtime's CPU LayerNorm fusion fails to load graphs with a float16 {@code Pow} (onnxruntime issue 26717).
   */
  private static final Set<String> FLOAT32_OPERATORS = Set.of("Range", "NonMaxSuppression", "Pow");

  /** Operators whose type attribute defaults to float, or names float explicitly. */
  private static final Set<String> DTYPE_OPERATORS = Set.of("RandomNormal", "RandomUniform", "RandomNormalLike",
      "RandomUniformLike", "EyeLike", "Bernoulli");

  private final OnnxModel model;
  private final OnnxGraph graph;
  private final UniqueNames names;
  private final Map<String, Integer> types;
  private final List<OnnxNode> nodes = new ArrayList<>();
  private int tensorsConverted;
  private int castsInserted;

  Fp16Rewriter(OnnxModel model) {
    this.model = model;
    this.graph = model.graph();
    this.names = new UniqueNames(graph);
    this.types = inferTypes(graph);
  }

  /**
   * Rewrites the model; call once.
   *
   * @param source names the model in messages
   * @throws InvalidRequestException when the graph has subgraphs or nothing in float32
   */
  Result rewrite(String source) {
    for (OnnxNode node : graph.nodes()) {
      if (node.attributes().stream().anyMatch(a -> !a.subgraphs().isEmpty())) {
        throw new InvalidRequestException("the model " + source + " has control flow (node '" + node.nameOrEmpty()
            + "', " + node.opType() + ", holds a subgraph); float16 conversion supports graphs without subgraphs");
      }
    }
    Set<String> float32Constants = float32Constants();
    List<TensorProto> initializers = new ArrayList<>();
    for (TensorProto tensor : graph.initializers()) {
      boolean convert = tensor.dataTypeOrUndefined() == DataType.FLOAT
          && !float32Constants.contains(tensor.nameOrEmpty());
      initializers.add(convert ? toHalf(tensor) : tensor);
    }

    for (OnnxNode node : graph.nodes()) {
      if (isFloat32Operator(node)) {
        wrapInFloat32(node, float32Constants);
      } else if (node.is("Constant") && float32Constants.containsAll(node.outputs())) {
        nodes.add(node);
      } else {
        nodes.add(castFloat32Inputs(convertNode(node), float32Constants));
      }
    }

    // Boundary: float32 graph inputs are cast to float16 for the nodes that read them ...
    Map<String, String> inputRenames = new HashMap<>();
    List<OnnxNode> inputCasts = new ArrayList<>();
    for (OnnxValueInfo input : graph.inputs()) {
      if (isFloat(input.elemType()) && !float32Constants.contains(input.name())) {
        String half = names.claim(input.name() + "_fp16");
        inputRenames.put(input.name(), half);
        inputCasts.add(cast(input.name(), half, DataType.FLOAT16));
      }
    }
    // ... and float32 graph outputs are computed in float16 under another name, then cast back.
    Map<String, String> outputRenames = new HashMap<>();
    List<OnnxNode> outputCasts = new ArrayList<>();
    Set<String> inputNames = graph.inputNames();
    for (OnnxValueInfo output : graph.outputs()) {
      if (isFloat(output.elemType()) && !inputNames.contains(output.name())
          && !outputRenames.containsKey(output.name())) {
        String half = names.claim(output.name() + "_fp16");
        outputRenames.put(output.name(), half);
        outputCasts.add(cast(half, output.name(), DataType.FLOAT));
      }
    }
    List<OnnxNode> all = new ArrayList<>(inputCasts);
    for (OnnxNode node : nodes) {
      all.add(node.withInputs(rename(rename(node.inputs(), inputRenames), outputRenames))
          .withOutputs(rename(node.outputs(), outputRenames)));
    }
    all.addAll(outputCasts);
    List<TensorProto> renamedInitializers = initializers.stream()
        .map(t -> outputRenames.containsKey(t.nameOrEmpty()) ? t.withName(outputRenames.get(t.nameOrEmpty())) : t)
        .toList();
    List<OnnxValueInfo> valueInfo = new ArrayList<>();
    for (OnnxValueInfo value : graph.valueInfo()) {
      OnnxValueInfo renamed = outputRenames.containsKey(value.name())
          ? value.withName(outputRenames.get(value.name())) : value;
      valueInfo.add(isFloat(value.elemType()) && !float32Constants.contains(value.name())
          ? renamed.withElemType(DataType.FLOAT16) : renamed);
    }
    if (tensorsConverted == 0 && castsInserted == 0) {
      throw new InvalidRequestException("the model " + source + " has no float32 tensor to convert to float16");
    }
    OnnxGraph rewritten = graph.withNodes(all).withInitializers(renamedInitializers).withValueInfo(valueInfo);
    return new Result(model.withGraph(rewritten), tensorsConverted, castsInserted);
  }

  /** Float initializers and Constant outputs that only float32-only inputs read: they stay float32, with no cast. */
  private Set<String> float32Constants() {
    Map<String, Boolean> onlyFloat32 = new HashMap<>();
    for (OnnxNode node : graph.nodes()) {
      for (int i = 0; i < node.inputs().size(); i++) {
        String input = node.inputs().get(i);
        boolean float32 = isFloat32Operator(node) || isFloat32Input(node, i);
        onlyFloat32.merge(input, float32, Boolean::logicalAnd);
      }
    }
    Set<String> result = new HashSet<>();
    Set<String> outputs = graph.outputNames();
    for (TensorProto tensor : graph.initializers()) {
      String name = tensor.nameOrEmpty();
      if (onlyFloat32.getOrDefault(name, false) && !outputs.contains(name)) {
        result.add(name);
      }
    }
    for (OnnxNode node : graph.nodes()) {
      if (node.is("Constant") && node.outputs().size() == 1) {
        String name = node.outputs().get(0);
        if (onlyFloat32.getOrDefault(name, false) && !outputs.contains(name)) {
          result.add(name);
        }
      }
    }
    return result;
  }

  private static boolean isFloat32Operator(OnnxNode node) {
    return "ai.onnx.ml".equals(node.domain()) || (node.isDefaultDomain() && FLOAT32_OPERATORS.contains(node.opType()));
  }

  private static boolean isFloat32Input(OnnxNode node, int index) {
    return node.isDefaultDomain() && FLOAT32_INPUTS.getOrDefault(node.opType(), Set.of()).contains(index);
  }

  /** Converts the constants and float types a node carries. */
  private OnnxNode convertNode(OnnxNode node) {
    if (!node.isDefaultDomain()) {
      return node;
    }
    switch (node.opType()) {
      case "Constant" -> {
        return convertConstant(node);
      }
      case "ConstantOfShape" -> {
        OnnxAttribute value = node.attribute("value").orElse(null);
        if (value == null) { // the default is a float 0
          tensorsConverted++;
          return node.withAttribute(OnnxAttribute.of("value",
              TensorProto.ofFloat16("", new long[] {1}, new short[] {0})));
        }
        if (value.t() != null && value.t().dataTypeOrUndefined() == DataType.FLOAT) {
          tensorsConverted++;
          return node.withAttribute(value.withTensor(toHalfTensor(value.t())));
        }
        return node;
      }
      case "Cast" -> {
        return node.intAttribute("to", 0) == DataType.FLOAT
            ? node.withAttribute(node.attribute("to").orElseThrow().withInt(DataType.FLOAT16)) : node;
      }
      default -> {
        if (DTYPE_OPERATORS.contains(node.opType())) {
          OnnxAttribute dtype = node.attribute("dtype").orElse(null);
          boolean defaultsToFloat = node.opType().equals("RandomNormal") || node.opType().equals("RandomUniform");
          if (dtype == null ? defaultsToFloat : dtype.i() != null && dtype.i() == DataType.FLOAT) {
            return node.withAttribute(OnnxAttribute.of("dtype", (long) DataType.FLOAT16));
          }
        }
        return node;
      }
    }
  }

  private OnnxNode convertConstant(OnnxNode node) {
    for (OnnxAttribute attribute : node.attributes()) {
      switch (attribute.name()) {
        case "value" -> {
          if (attribute.t() != null && attribute.t().dataTypeOrUndefined() == DataType.FLOAT) {
            tensorsConverted++;
            return node.withAttribute(attribute.withTensor(toHalfTensor(attribute.t())));
          }
        }
        case "value_float" -> {
          if (attribute.f() != null) {
            tensorsConverted++;
            return node.withAttributes(List.of(OnnxAttribute.of("value",
                TensorProto.ofFloat16("", new long[0], new short[] {Float16.fromFloatClamped(attribute.f())}))));
          }
        }
        case "value_floats" -> {
          tensorsConverted++;
          short[] half = new short[attribute.floats().size()];
          for (int i = 0; i < half.length; i++) {
            half[i] = Float16.fromFloatClamped(attribute.floats().get(i));
          }
          return node.withAttributes(List.of(OnnxAttribute.of("value",
              TensorProto.ofFloat16("", new long[] {half.length}, half))));
        }
        default -> {
          // another kind of constant (int, string): not float
        }
      }
    }
    return node;
  }

  /** Casts float16 values to float32 where the operator's specification wants float32. */
  private OnnxNode castFloat32Inputs(OnnxNode node, Set<String> float32Constants) {
    Set<Integer> slots = node.isDefaultDomain() ? FLOAT32_INPUTS.getOrDefault(node.opType(), Set.of()) : Set.of();
    if (slots.isEmpty()) {
      return node;
    }
    List<String> inputs = new ArrayList<>(node.inputs());
    for (int slot : slots) {
      if (slot < inputs.size() && needsCastToFloat32(inputs.get(slot), float32Constants)) {
        inputs.set(slot, castToFloat32(inputs.get(slot)));
      }
    }
    return node.withInputs(inputs);
  }

  /** Runs a float32-only operator on float32: casts its float inputs up and its float outputs back down. */
  private void wrapInFloat32(OnnxNode node, Set<String> float32Constants) {
    List<String> inputs = new ArrayList<>(node.inputs());
    for (int i = 0; i < inputs.size(); i++) {
      if (needsCastToFloat32(inputs.get(i), float32Constants)) {
        inputs.set(i, castToFloat32(inputs.get(i)));
      }
    }
    List<String> outputs = new ArrayList<>(node.outputs());
    List<OnnxNode> after = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      String output = outputs.get(i);
      if (isFloat(types.get(output))) {
        String wide = names.claim(output + "_fp32");
        outputs.set(i, wide);
        after.add(cast(wide, output, DataType.FLOAT16));
      }
    }
    nodes.add(node.withInputs(inputs).withOutputs(outputs));
    nodes.addAll(after);
  }

  private boolean needsCastToFloat32(String value, Set<String> float32Constants) {
    return !value.isEmpty() && isFloat(types.get(value)) && !float32Constants.contains(value);
  }

  private String castToFloat32(String value) {
    String wide = names.claim(value + "_fp32");
    nodes.add(cast(value, wide, DataType.FLOAT));
    return wide;
  }

  private OnnxNode cast(String from, String to, int type) {
    castsInserted++;
    OnnxNode node = GraphBuilder.node("Cast", List.of(from), List.of(to), OnnxAttribute.of("to", (long) type));
    return new OnnxNode(node.inputs(), node.outputs(), names.claim(to + "_cast"), node.opType(), node.attributes(),
        null, null, node.unknown());
  }

  private TensorProto toHalf(TensorProto tensor) {
    tensorsConverted++;
    return toHalfTensor(tensor);
  }

  private static TensorProto toHalfTensor(TensorProto tensor) {
    float[] values = tensor.floats();
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      buffer.putShort(Float16.fromFloatClamped(value));
    }
    return tensor.withData(DataType.FLOAT16, UnsafeByteOperations.unsafeWrap(buffer.array()));
  }

  private static boolean isFloat(@Nullable Integer type) {
    return type != null && type == DataType.FLOAT;
  }

  private static List<String> rename(List<String> values, Map<String, String> renames) {
    if (renames.isEmpty()) {
      return values;
    }
    List<String> result = new ArrayList<>(values.size());
    for (String value : values) {
      result.add(renames.getOrDefault(value, value));
    }
    return result;
  }

  /**
   * The element type of each value in the float32 graph, as far as it matters here: declared types first, then a
   * forward pass with the common rules (most operators keep their first input's type).
   */
  private static Map<String, Integer> inferTypes(OnnxGraph graph) {
    Map<String, Integer> types = new HashMap<>();
    for (OnnxValueInfo value : graph.inputs()) {
      put(types, value.name(), value.elemType());
    }
    for (OnnxValueInfo value : graph.outputs()) {
      put(types, value.name(), value.elemType());
    }
    for (OnnxValueInfo value : graph.valueInfo()) {
      put(types, value.name(), value.elemType());
    }
    for (TensorProto tensor : graph.initializers()) {
      put(types, tensor.nameOrEmpty(), tensor.dataType());
    }
    for (OnnxNode node : graph.nodes()) {
      Integer type = outputType(node, types);
      for (String output : node.outputs()) {
        put(types, output, type);
      }
    }
    return types;
  }

  private static void put(Map<String, Integer> types, String name, @Nullable Integer type) {
    if (type != null && type != DataType.UNDEFINED && !name.isEmpty()) {
      types.putIfAbsent(name, type);
    }
  }

  private static @Nullable Integer outputType(OnnxNode node, Map<String, Integer> types) {
    if (!node.isDefaultDomain()) {
      return firstKnown(node.inputs(), types);
    }
    return switch (node.opType()) {
      case "Cast" -> (int) node.intAttribute("to", DataType.UNDEFINED);
      case "Constant" -> constantType(node);
      case "ConstantOfShape" -> node.attribute("value").map(a -> a.t() == null ? null : a.t().dataType())
          .orElse(DataType.FLOAT);
      case "Shape", "Size", "NonZero", "ArgMax", "ArgMin" -> DataType.INT64;
      case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor", "IsNaN", "IsInf" ->
          DataType.BOOL;
      case "Where" -> node.inputs().size() > 1 ? types.get(node.inputs().get(1)) : null;
      case "DequantizeLinear" -> DataType.FLOAT;
      case "QuantizeLinear", "DynamicQuantizeLinear" -> DataType.UINT8;
      default -> firstKnown(node.inputs(), types);
    };
  }

  private static @Nullable Integer constantType(OnnxNode node) {
    for (OnnxAttribute attribute : node.attributes()) {
      switch (attribute.name()) {
        case "value" -> {
          return attribute.t() == null ? null : attribute.t().dataType();
        }
        case "value_float", "value_floats" -> {
          return DataType.FLOAT;
        }
        case "value_int", "value_ints" -> {
          return DataType.INT64;
        }
        default -> {
          // strings and sparse values are not float
        }
      }
    }
    return null;
  }

  private static @Nullable Integer firstKnown(List<String> inputs, Map<String, Integer> types) {
    for (String input : inputs) {
      Integer type = types.get(input);
      if (type != null) {
        return type;
      }
    }
    return null;
  }
}
