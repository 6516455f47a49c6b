package dev.llmops.inference.internal.onnx;

import dev.llmops.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Builds a graph node by node, for tests, fixtures and rewrites that create whole models. Value names made by
 * {@link #op} are unique within the builder. Not thread-safe.
 *
 * <pre>{@code
 * GraphBuilder b = new GraphBuilder();
 * b.input("x", DataType.FLOAT, "batch", 4L);
 * String w = b.floats("w", new long[] {4, 2}, 1, 0, 0, 1, 1, 1, 0, 0);
 * b.add("MatMul", List.of("x", w), List.of("y"));
 * b.output("y", DataType.FLOAT, "batch", 2L);
 * OnnxModel model = b.model("tiny", 17);
 * }</pre>
 */
public final class GraphBuilder {
  private final List<OnnxNode> nodes = new ArrayList<>();
  private final List<TensorProto> initializers = new ArrayList<>();
  private final List<OnnxValueInfo> inputs = new ArrayList<>();
  private final List<OnnxValueInfo> outputs = new ArrayList<>();
  private final UniqueNames names = new UniqueNames(new HashSet<>());

  /** A node of the default ONNX domain, unnamed. */
  public static OnnxNode node(String opType, List<String> inputs, List<String> outputs, OnnxAttribute... attributes) {
    return node(null, opType, inputs, outputs, attributes);
  }

  /** A node of {@code domain} ({@code null} for the default ONNX domain), unnamed. */
  public static OnnxNode node(@Nullable String domain, String opType, List<String> inputs, List<String> outputs,
      OnnxAttribute... attributes) {
    return new OnnxNode(inputs, outputs, null, opType, Arrays.asList(attributes), null, domain, RawFields.none());
  }

  /** Declares a graph input whose dims are each a {@link Long} or {@link Integer} (fixed) or a {@link String} (named). */
  public GraphBuilder input(String name, int elemType, Object... dims) {
    names.claim(name);
    inputs.add(OnnxValueInfo.tensor(name, elemType, dims));
    return this;
  }

  /**
   * Declares a graph input with a default value: an initializer under the same name, which a run uses unless it
   * feeds the input (ONNX Runtime then treats the initializer as overridable, never as a constant to fold). The
   * declared {@code dims} may differ from the default's shape where they are named (dynamic), so a run may feed a
   * tensor of another size there.
   *
   * @return the name, {@code value}'s own
   * @throws InvalidRequestException when {@code value} has no name or the name is already taken in this builder
   */
  public String inputWithDefault(TensorProto value, Object... dims) {
    String name = value.nameOrEmpty();
    if (name.isEmpty() || !names.claim(name).equals(name)) {
      throw new InvalidRequestException("an input with a default needs a name of its own, got '" + name + "'");
    }
    Integer elemType = value.dataType();
    inputs.add(OnnxValueInfo.tensor(name, elemType == null ? DataType.UNDEFINED : elemType, dims));
    initializers.add(value);
    return name;
  }

  /** Declares a graph output (a value some node produces). */
  public GraphBuilder output(String name, int elemType, Object... dims) {
    outputs.add(OnnxValueInfo.tensor(name, elemType, dims));
    return this;
  }

  /** Adds an initializer under a unique name derived from its own; returns that name. */
  public String initializer(TensorProto tensor) {
    String name = names.claim(tensor.nameOrEmpty());
    initializers.add(tensor.withName(name));
    return name;
  }

  /** Adds a float initializer; returns its unique name. */
  public String floats(String name, long[] dims, float... values) {
    return initializer(TensorProto.ofFloats(name, dims, values));
  }

  /** Adds an int64 initializer; returns its unique name. */
  public String longs(String name, long[] dims, long... values) {
    return initializer(TensorProto.ofLongs(name, dims, values));
  }

  /** Adds a node of the default domain with the given outputs. */
  public GraphBuilder add(String opType, List<String> nodeInputs, List<String> nodeOutputs,
      OnnxAttribute... attributes) {
    nodeOutputs.forEach(names::claim);
    nodes.add(node(opType, nodeInputs, nodeOutputs, attributes));
    return this;
  }

  /** Adds a node of the default domain with one output under a fresh name; returns that name. */
  public String op(String opType, List<String> nodeInputs, OnnxAttribute... attributes) {
    String output = names.claim(opType.toLowerCase(Locale.ROOT) + "_" + nodes.size());
    nodes.add(node(opType, nodeInputs, List.of(output), attributes));
    return output;
  }

  /** The graph built so far. */
  public OnnxGraph graph(String name) {
    return new OnnxGraph(nodes, name, initializers, null, inputs, outputs, List.of(), RawFields.none());
  }

  /** A model of the graph built so far, importing the default ONNX domain at {@code opsetVersion} (IR version 8). */
  public OnnxModel model(String name, long opsetVersion) {
    return new OnnxModel(8L, "llmops", graph(name), List.of(OpsetId.of(OpsetId.DEFAULT_DOMAIN, opsetVersion)),
        RawFields.none());
  }
}
