package dev.llmops.inference.internal.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An ONNX {@code ValueInfoProto}: a graph input, output or intermediate value with its type.
 *
 * @param name the value name
 * @param type the type, or {@code null} when absent
 * @param unknown every other field (doc string, metadata), as read
 */
public record OnnxValueInfo(String name, @Nullable OnnxType type, RawFields unknown) implements WireMessage {

  /** A tensor value of {@code elemType} whose dims are each a {@link Long} or {@link Integer} (fixed) or a {@link String} (named). */
  public static OnnxValueInfo tensor(String name, int elemType, Object... dims) {
    return new OnnxValueInfo(name, OnnxType.tensor(elemType, dims), RawFields.none());
  }

  /** The tensor element type, or {@code null} when this is not a typed tensor. */
  public @Nullable Integer elemType() {
    return type == null ? null : type.elemType();
  }

  /** This value under another name. */
  public OnnxValueInfo withName(String newName) {
    return new OnnxValueInfo(newName, type, unknown);
  }

  /** This value with another tensor element type (unchanged when it has no tensor type). */
  public OnnxValueInfo withElemType(int elemType) {
    return type == null ? this : new OnnxValueInfo(name, type.withElemType(elemType), unknown);
  }

  static OnnxValueInfo read(WireReader in) throws IOException {
    String name = "";
    OnnxType type = null;
    List<RawFields.Field> unknown = new ArrayList<>();
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      switch (tag >>> 3) {
        case 1 -> name = in.string(tag);
        case 2 -> type = in.message(tag, OnnxType::read);
        default -> in.keep(tag, unknown);
      }
    }
    return new OnnxValueInfo(name, type, new RawFields(unknown));
  }

  @Override
  public void emit(WireSink sink) {
    RawFields.Cursor raw = unknown.cursor(sink);
    sink.string(1, name);
    raw.before(2);
    if (type != null) {
      sink.message(2, type);
    }
    raw.rest();
  }
}
