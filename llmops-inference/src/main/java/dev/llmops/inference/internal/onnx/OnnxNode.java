package dev.llmops.inference.internal.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An ONNX {@code NodeProto}: one operator call.
 *
 * @param inputs the input value names ({@code ""} for an omitted optional input)
 * @param outputs the output value names
 * @param name the node name, or {@code null} when absent
 * @param opType the operator
 * @param attributes the attributes
 * @param docString the doc string, or {@code null} when absent
 * @param domain the operator domain, or {@code null} when absent (the default ONNX domain)
 * @param unknown every other field, as read
 */
public record OnnxNode(
    List<String> inputs,
    List<String> outputs,
    @Nullable String name,
    String opType,
    List<OnnxAttribute> attributes,
    @Nullable String docString,
    @Nullable String domain,
    RawFields unknown) implements WireMessage {

  /** Copies the lists. */
  public OnnxNode {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    attributes = List.copyOf(attributes);
  }

  /** Whether the operator is in the default ONNX domain. */
  public boolean isDefaultDomain() {
    return domain == null || domain.isEmpty() || domain.equals("ai.onnx");
  }

  /** Whether this is {@code opType} of the default ONNX domain. */
  public boolean is(String op) {
    return isDefaultDomain() && opType.equals(op);
  }

  /** The name, or the empty string when absent. */
  public String nameOrEmpty() {
    return name == null ? "" : name;
  }

  /** The attribute called {@code attributeName}, if present. */
  public Optional<OnnxAttribute> attribute(String attributeName) {
    for (OnnxAttribute attribute : attributes) {
      if (attribute.name().equals(attributeName)) {
        return Optional.of(attribute);
      }
    }
    return Optional.empty();
  }

  /** The int attribute called {@code attributeName}, or {@code fallback} when absent. */
  public long intAttribute(String attributeName, long fallback) {
    return attribute(attributeName).map(a -> a.i() == null ? fallback : a.i()).orElse(fallback);
  }

  /** The float attribute called {@code attributeName}, or {@code fallback} when absent. */
  public float floatAttribute(String attributeName, float fallback) {
    return attribute(attributeName).map(a -> a.f() == null ? fallback : a.f()).orElse(fallback);
  }

  /** This node with other inputs. */
  public OnnxNode withInputs(List<String> newInputs) {
    return new OnnxNode(newInputs, outputs, name, opType, attributes, docString, domain, unknown);
  }

  /** This node with other outputs. */
  public OnnxNode withOutputs(List<String> newOutputs) {
    return new OnnxNode(inputs, newOutputs, name, opType, attributes, docString, domain, unknown);
  }

  /** This node with other attributes. */
  public OnnxNode withAttributes(List<OnnxAttribute> newAttributes) {
    return new OnnxNode(inputs, outputs, name, opType, newAttributes, docString, domain, unknown);
  }

  /** This node with the attribute of the same name replaced, or added when absent. */
  public OnnxNode withAttribute(OnnxAttribute attribute) {
    List<OnnxAttribute> list = new ArrayList<>(attributes);
    list.removeIf(a -> a.name().equals(attribute.name()));
    list.add(attribute);
    return withAttributes(list);
  }

  static OnnxNode read(WireReader in) throws IOException {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String name = null;
    String opType = "";
    List<OnnxAttribute> attributes = new ArrayList<>();
    String docString = null;
    String domain = null;
    List<RawFields.Field> unknown = new ArrayList<>();
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      switch (tag >>> 3) {
        case 1 -> inputs.add(in.string(tag));
        case 2 -> outputs.add(in.string(tag));
        case 3 -> name = in.string(tag);
        case 4 -> opType = in.string(tag);
        case 5 -> attributes.add(in.message(tag, OnnxAttribute::read));
        case 6 -> docString = in.string(tag);
        case 7 -> domain = in.string(tag);
        default -> in.keep(tag, unknown);
      }
    }
    return new OnnxNode(inputs, outputs, name, opType, attributes, docString, domain, new RawFields(unknown));
  }

  @Override
  public void emit(WireSink sink) {
    RawFields.Cursor raw = unknown.cursor(sink);
    for (String input : inputs) {
      sink.string(1, input);
    }
    raw.before(2);
    for (String output : outputs) {
      sink.string(2, output);
    }
    raw.before(3);
    if (name != null) {
      sink.string(3, name);
    }
    raw.before(4);
    sink.string(4, opType);
    raw.before(5);
    for (OnnxAttribute attribute : attributes) {
      sink.message(5, attribute);
    }
    raw.before(6);
    if (docString != null) {
      sink.string(6, docString);
    }
    raw.before(7);
    if (domain != null) {
      sink.string(7, domain);
    }
    raw.rest();
  }
}
