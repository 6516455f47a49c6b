package dev.llmops.inference.internal.onnx;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An ONNX {@code AttributeProto}. The single and repeated scalar, string, tensor and graph values are modeled; sparse
 * tensors, type protos, repeated tensors and references stay raw.
 *
 * @param name the attribute name
 * @param f the float value, or {@code null}
 * @param i the int value, or {@code null}
 * @param s the bytes value, or {@code null}
 * @param t the tensor value, or {@code null}
 * @param g the graph value (a subgraph), or {@code null}
 * @param floats the float list
 * @param floatsPacked whether {@code floats} was written packed
 * @param ints the int list
 * @param intsPacked whether {@code ints} was written packed
 * @param strings the bytes list
 * @param graphs the graph list
 * @param type the attribute type ({@code AttributeProto.AttributeType}), or {@code null} when absent
 * @param unknown every other field, as read
 */
public record OnnxAttribute(
    String name,
    @Nullable Float f,
    @Nullable Long i,
    @Nullable ByteString s,
    @Nullable TensorProto t,
    @Nullable OnnxGraph g,
    List<Float> floats,
    boolean floatsPacked,
    List<Long> ints,
    boolean intsPacked,
    List<ByteString> strings,
    List<OnnxGraph> graphs,
    @Nullable Integer type,
    RawFields unknown) implements WireMessage {

  public static final int FLOAT = 1;
  public static final int INT = 2;
  public static final int STRING = 3;
  public static final int TENSOR = 4;
  public static final int GRAPH = 5;
  public static final int FLOATS = 6;
  public static final int INTS = 7;

  /** Copies the lists. */
  public OnnxAttribute {
    floats = List.copyOf(floats);
    ints = List.copyOf(ints);
    strings = List.copyOf(strings);
    graphs = List.copyOf(graphs);
  }

  /** An int attribute. */
  public static OnnxAttribute of(String name, long value) {
    return new OnnxAttribute(name, null, value, null, null, null, List.of(), false, List.of(), false, List.of(),
        List.of(), INT, RawFields.none());
  }

  /** A float attribute. */
  public static OnnxAttribute of(String name, float value) {
    return new OnnxAttribute(name, value, null, null, null, null, List.of(), false, List.of(), false, List.of(),
        List.of(), FLOAT, RawFields.none());
  }

  /** A string attribute, UTF-8 encoded. */
  public static OnnxAttribute of(String name, String value) {
    return new OnnxAttribute(name, null, null, ByteString.copyFromUtf8(value), null, null, List.of(), false, List.of(),
        false, List.of(), List.of(), STRING, RawFields.none());
  }

  /** A tensor attribute. */
  public static OnnxAttribute of(String name, TensorProto value) {
    return new OnnxAttribute(name, null, null, null, value, null, List.of(), false, List.of(), false, List.of(),
        List.of(), TENSOR, RawFields.none());
  }

  /** An int list attribute. */
  public static OnnxAttribute ofInts(String name, long... values) {
    return new OnnxAttribute(name, null, null, null, null, null, List.of(), false, TensorProto.boxed(values), false,
        List.of(), List.of(), INTS, RawFields.none());
  }

  /** Every subgraph this attribute holds ({@code g} and {@code graphs}). */
  public List<OnnxGraph> subgraphs() {
    if (g == null) {
      return graphs;
    }
    List<OnnxGraph> all = new ArrayList<>(graphs);
    all.add(0, g);
    return all;
  }

  /** This attribute holding another tensor (everything else unchanged). */
  public OnnxAttribute withTensor(TensorProto tensor) {
    return new OnnxAttribute(name, f, i, s, tensor, g, floats, floatsPacked, ints, intsPacked, strings, graphs, type,
        unknown);
  }

  /** This attribute holding another int (everything else unchanged). */
  public OnnxAttribute withInt(long value) {
    return new OnnxAttribute(name, f, value, s, t, g, floats, floatsPacked, ints, intsPacked, strings, graphs, type,
        unknown);
  }

  static OnnxAttribute read(WireReader in) throws IOException {
    String name = "";
    Float f = null;
    Long i = null;
    ByteString s = null;
    TensorProto t = null;
    OnnxGraph g = null;
    List<Float> floats = new ArrayList<>();
    boolean floatsPacked = false;
    List<Long> ints = new ArrayList<>();
    boolean intsPacked = false;
    List<ByteString> strings = new ArrayList<>();
    List<OnnxGraph> graphs = new ArrayList<>();
    Integer type = null;
    List<RawFields.Field> unknown = new ArrayList<>();
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      switch (tag >>> 3) {
        case 1 -> name = in.string(tag);
        case 2 -> f = in.float32(tag);
        case 3 -> i = in.int64(tag);
        case 4 -> s = in.bytes(tag);
        case 5 -> t = in.message(tag, TensorProto::read);
        case 6 -> g = in.message(tag, OnnxGraph::read);
        case 7 -> floatsPacked = in.float32s(tag, floats);
        case 8 -> intsPacked = in.int64s(tag, ints);
        case 9 -> strings.add(in.bytes(tag));
        case 11 -> graphs.add(in.message(tag, OnnxGraph::read));
        case 20 -> type = in.int32(tag);
        default -> in.keep(tag, unknown);
      }
    }
    return new OnnxAttribute(name, f, i, s, t, g, floats, floatsPacked, ints, intsPacked, strings, graphs, type,
        new RawFields(unknown));
  }

  @Override
  public void emit(WireSink sink) {
    RawFields.Cursor raw = unknown.cursor(sink);
    sink.string(1, name);
    raw.before(2);
    if (f != null) {
      sink.float32(2, f);
    }
    raw.before(3);
    if (i != null) {
      sink.int64(3, i);
    }
    raw.before(4);
    if (s != null) {
      sink.bytes(4, s);
    }
    raw.before(5);
    if (t != null) {
      sink.message(5, t);
    }
    raw.before(6);
    if (g != null) {
      sink.message(6, g);
    }
    raw.before(7);
    sink.float32s(7, floats, floatsPacked);
    raw.before(8);
    sink.int64s(8, ints, intsPacked);
    raw.before(9);
    for (ByteString value : strings) {
      sink.bytes(9, value);
    }
    raw.before(11);
    for (OnnxGraph graph : graphs) {
      sink.message(11, graph);
    }
    raw.before(20);
    if (type != null) {
      sink.int32(20, type);
    }
    raw.rest();
  }
}
