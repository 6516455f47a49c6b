package dev.llmops.inference.internal.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An ONNX {@code TypeProto}. Only the tensor type is modeled; sequence, map, optional and sparse types stay raw.
 *
 * @param tensorType the tensor type, or {@code null} when this is not a tensor type
 * @param unknown every other field, as read
 */
public record OnnxType(@Nullable TensorType tensorType, RawFields unknown) implements WireMessage {

  private static final int TENSOR_TYPE = 1;

  /** A tensor type of {@code elemType} whose dims are each a {@link Long} (fixed) or a {@link String} (named). */
  public static OnnxType tensor(int elemType, Object... dims) {
    List<Dim> list = new ArrayList<>();
    for (Object dim : dims) {
      if (dim instanceof Long value) {
        list.add(new Dim(value, null, RawFields.none()));
      } else if (dim instanceof Integer value) {
        list.add(new Dim(value.longValue(), null, RawFields.none()));
      } else if (dim instanceof String param) {
        list.add(new Dim(null, param, RawFields.none()));
      } else {
        throw new IllegalArgumentException("a dim is a Long, an Integer or a String, not " + dim);
      }
    }
    return new OnnxType(new TensorType(elemType, new Shape(list, RawFields.none()), RawFields.none()),
        RawFields.none());
  }

  /** The tensor element type, or {@code null} when this is not a tensor type or has none. */
  public @Nullable Integer elemType() {
    return tensorType == null ? null : tensorType.elemType();
  }

  /** This type with the tensor element type replaced; a non-tensor type is returned unchanged. */
  public OnnxType withElemType(int elemType) {
    return tensorType == null ? this
        : new OnnxType(new TensorType(elemType, tensorType.shape(), tensorType.unknown()), unknown);
  }

  static OnnxType read(WireReader in) throws IOException {
    TensorType tensorType = null;
    List<RawFields.Field> unknown = new ArrayList<>();
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      if (tag >>> 3 == TENSOR_TYPE) {
        tensorType = in.message(tag, TensorType::read);
      } else {
        in.keep(tag, unknown);
      }
    }
    return new OnnxType(tensorType, new RawFields(unknown));
  }

  @Override
  public void emit(WireSink sink) {
    RawFields.Cursor raw = unknown.cursor(sink);
    if (tensorType != null) {
      sink.message(TENSOR_TYPE, tensorType);
    }
    raw.rest();
  }

  /**
   * {@code TypeProto.Tensor}.
   *
   * @param elemType the element type ({@link DataType}), or {@code null} when absent
   * @param shape the shape, or {@code null} when unknown (absent)
   * @param unknown every other field, as read
   */
  public record TensorType(@Nullable Integer elemType, @Nullable Shape shape, RawFields unknown) implements WireMessage {
    static TensorType read(WireReader in) throws IOException {
      Integer elemType = null;
      Shape shape = null;
      List<RawFields.Field> unknown = new ArrayList<>();
      for (int tag = in.tag(); tag != 0; tag = in.tag()) {
        switch (tag >>> 3) {
          case 1 -> elemType = in.int32(tag);
          case 2 -> shape = in.message(tag, Shape::read);
          default -> in.keep(tag, unknown);
        }
      }
      return new TensorType(elemType, shape, new RawFields(unknown));
    }

    @Override
    public void emit(WireSink sink) {
      RawFields.Cursor raw = unknown.cursor(sink);
      if (elemType != null) {
        sink.int32(1, elemType);
      }
      raw.before(2);
      if (shape != null) {
        sink.message(2, shape);
      }
      raw.rest();
    }
  }

  /**
   * {@code TensorShapeProto}.
   *
   * @param dims the dimensions
   * @param unknown every other field, as read
   */
  public record Shape(List<Dim> dims, RawFields unknown) implements WireMessage {
    /** Copies the list. */
    public Shape {
      dims = List.copyOf(dims);
    }

    static Shape read(WireReader in) throws IOException {
      List<Dim> dims = new ArrayList<>();
      List<RawFields.Field> unknown = new ArrayList<>();
      for (int tag = in.tag(); tag != 0; tag = in.tag()) {
        if (tag >>> 3 == 1) {
          dims.add(in.message(tag, Dim::read));
        } else {
          in.keep(tag, unknown);
        }
      }
      return new Shape(dims, new RawFields(unknown));
    }

    @Override
    public void emit(WireSink sink) {
      RawFields.Cursor raw = unknown.cursor(sink);
      for (Dim dim : dims) {
        sink.message(1, dim);
      }
      raw.rest();
    }
  }

  /**
   * {@code TensorShapeProto.Dimension}: a fixed size, a named symbolic size, or neither (unknown).
   *
   * @param value the fixed size, or {@code null}
   * @param param the symbolic name, or {@code null}
   * @param unknown every other field (the denotation), as read
   */
  public record Dim(@Nullable Long value, @Nullable String param, RawFields unknown) implements WireMessage {
    static Dim read(WireReader in) throws IOException {
      Long value = null;
      String param = null;
      List<RawFields.Field> unknown = new ArrayList<>();
      for (int tag = in.tag(); tag != 0; tag = in.tag()) {
        switch (tag >>> 3) {
          case 1 -> value = in.int64(tag);
          case 2 -> param = in.string(tag);
          default -> in.keep(tag, unknown);
        }
      }
      return new Dim(value, param, new RawFields(unknown));
    }

    @Override
    public void emit(WireSink sink) {
      RawFields.Cursor raw = unknown.cursor(sink);
      if (value != null) {
        sink.int64(1, value);
      }
      raw.before(2);
      if (param != null) {
        sink.string(2, param);
      }
      raw.rest();
    }
  }
}
