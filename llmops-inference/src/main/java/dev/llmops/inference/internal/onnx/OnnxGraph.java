package dev.llmops.inference.internal.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An ONNX {@code GraphProto}. Sparse initializers, quantization annotations and metadata stay raw.
 *
 * @param nodes the nodes, in topological order
 * @param name the graph name, or {@code null} when absent
 * @param initializers the constant tensors
 * @param docString the doc string, or {@code null} when absent
 * @param inputs the graph inputs
 * @param outputs the graph outputs
 * @param valueInfo types of intermediate values
 * @param unknown every other field, as read
 */
public record OnnxGraph(
    List<OnnxNode> nodes,
    @Nullable String name,
    List<TensorProto> initializers,
    @Nullable String docString,
    List<OnnxValueInfo> inputs,
    List<OnnxValueInfo> outputs,
    List<OnnxValueInfo> valueInfo,
    RawFields unknown) implements WireMessage {

  /** Copies the lists. */
  public OnnxGraph {
    nodes = List.copyOf(nodes);
    initializers = List.copyOf(initializers);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    valueInfo = List.copyOf(valueInfo);
  }

  /** The initializers by name, in file order. */
  public Map<String, TensorProto> initializersByName() {
    Map<String, TensorProto> map = new LinkedHashMap<>();
    for (TensorProto tensor : initializers) {
      map.put(tensor.nameOrEmpty(), tensor);
    }
    return map;
  }

  /** The names of the graph inputs. */
  public Set<String> inputNames() {
    Set<String> names = new HashSet<>();
    inputs.forEach(v -> names.add(v.name()));
    return names;
  }

  /** The names of the graph outputs. */
  public Set<String> outputNames() {
    Set<String> names = new HashSet<>();
    outputs.forEach(v -> names.add(v.name()));
    return names;
  }

  /**
   * Every value name this graph reads: node inputs here and in nested subgraphs (which may refer to this graph's
   * values) and graph outputs.
   */
  public Set<String> namesRead() {
    Set<String> names = new HashSet<>();
    collectReads(names);
    return names;
  }

  private void collectReads(Set<String> names) {
    for (OnnxNode node : nodes) {
      names.addAll(node.inputs());
      for (OnnxAttribute attribute : node.attributes()) {
        attribute.subgraphs().forEach(g -> g.collectReads(names));
      }
    }
    outputs.forEach(v -> names.add(v.name()));
  }

  /** Every value name in use: inputs, initializers, node outputs (here and in subgraphs) and value_info. */
  public Set<String> allNames() {
    Set<String> names = new HashSet<>();
    collectNames(names);
    return names;
  }

  private void collectNames(Set<String> names) {
    inputs.forEach(v -> names.add(v.name()));
    outputs.forEach(v -> names.add(v.name()));
    valueInfo.forEach(v -> names.add(v.name()));
    initializers.forEach(t -> names.add(t.nameOrEmpty()));
    for (OnnxNode node : nodes) {
      names.addAll(node.inputs());
      names.addAll(node.outputs());
      if (node.name() != null) {
        names.add(node.name());
      }
      for (OnnxAttribute attribute : node.attributes()) {
        attribute.subgraphs().forEach(g -> g.collectNames(names));
      }
    }
  }

  /** Whether a node of this graph holds a subgraph (If, Loop, Scan). */
  public boolean hasSubgraphs() {
    return nodes.stream().flatMap(n -> n.attributes().stream()).anyMatch(a -> !a.subgraphs().isEmpty());
  }

  /** This graph with other nodes. */
  public OnnxGraph withNodes(List<OnnxNode> newNodes) {
    return new OnnxGraph(newNodes, name, initializers, docString, inputs, outputs, valueInfo, unknown);
  }

  /** This graph with other initializers. */
  public OnnxGraph withInitializers(List<TensorProto> newInitializers) {
    return new OnnxGraph(nodes, name, newInitializers, docString, inputs, outputs, valueInfo, unknown);
  }

  /** This graph with other inputs. */
  public OnnxGraph withInputs(List<OnnxValueInfo> newInputs) {
    return new OnnxGraph(nodes, name, initializers, docString, newInputs, outputs, valueInfo, unknown);
  }

  /** This graph with other outputs. */
  public OnnxGraph withOutputs(List<OnnxValueInfo> newOutputs) {
    return new OnnxGraph(nodes, name, initializers, docString, inputs, newOutputs, valueInfo, unknown);
  }

  /** This graph with other value_info. */
  public OnnxGraph withValueInfo(List<OnnxValueInfo> newValueInfo) {
    return new OnnxGraph(nodes, name, initializers, docString, inputs, outputs, newValueInfo, unknown);
  }

  static OnnxGraph read(WireReader in) throws IOException {
    List<OnnxNode> nodes = new ArrayList<>();
    String name = null;
    List<TensorProto> initializers = new ArrayList<>();
    String docString = null;
    List<OnnxValueInfo> inputs = new ArrayList<>();
    List<OnnxValueInfo> outputs = new ArrayList<>();
    List<OnnxValueInfo> valueInfo = new ArrayList<>();
    List<RawFields.Field> unknown = new ArrayList<>();
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      switch (tag >>> 3) {
        case 1 -> nodes.add(in.message(tag, OnnxNode::read));
        case 2 -> name = in.string(tag);
        case 5 -> initializers.add(in.message(tag, TensorProto::read));
        case 10 -> docString = in.string(tag);
        case 11 -> inputs.add(in.message(tag, OnnxValueInfo::read));
        case 12 -> outputs.add(in.message(tag, OnnxValueInfo::read));
        case 13 -> valueInfo.add(in.message(tag, OnnxValueInfo::read));
        default -> in.keep(tag, unknown);
      }
    }
    return new OnnxGraph(nodes, name, initializers, docString, inputs, outputs, valueInfo, new RawFields(unknown));
  }

  @Override
  public void emit(WireSink sink) {
    RawFields.Cursor raw = unknown.cursor(sink);
    for (OnnxNode node : nodes) {
      sink.message(1, node);
    }
    raw.before(2);
    if (name != null) {
      sink.string(2, name);
    }
    raw.before(5);
    for (TensorProto tensor : initializers) {
      sink.message(5, tensor);
    }
    raw.before(10);
    if (docString != null) {
      sink.string(10, docString);
    }
    raw.before(11);
    for (OnnxValueInfo value : inputs) {
      sink.message(11, value);
    }
    raw.before(12);
    for (OnnxValueInfo value : outputs) {
      sink.message(12, value);
    }
    raw.before(13);
    for (OnnxValueInfo value : valueInfo) {
      sink.message(13, value);
    }
    raw.rest();
  }
}
