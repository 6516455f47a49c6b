package dev.llmops.inference.internal.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An ONNX {@code TensorProto}: an initializer or an attribute value (named after onnx.proto, as ONNX Runtime's
 * {@code ai.onnxruntime.OnnxTensor} takes the obvious name). Data held in {@code raw_data} or
 * {@code float_data} is modeled; the other data fields ({@code int32_data}, {@code int64_data}, ...) stay raw.
 *
 * @param dims the shape
 * @param dimsPacked whether {@code dims} was written packed (kept so the bytes round-trip)
 * @param dataType the element type ({@link DataType}), or {@code null} when absent
 * @param floatData the {@code float_data} values as little-endian bytes, empty when absent
 * @param floatDataPacked whether {@code float_data} was written packed
 * @param name the tensor name, or {@code null} when absent
 * @param rawData the {@code raw_data} bytes (little-endian), or {@code null} when absent
 * @param dataLocation 0 for data in the file, 1 for external data, {@code null} when absent
 * @param unknown every other field, as read
 */
public record TensorProto(
    List<Long> dims,
    boolean dimsPacked,
    @Nullable Integer dataType,
    ByteString floatData,
    boolean floatDataPacked,
    @Nullable String name,
    @Nullable ByteString rawData,
    @Nullable Integer dataLocation,
    RawFields unknown) implements WireMessage {

  static final int DIMS = 1;
  static final int DATA_TYPE = 2;
  static final int FLOAT_DATA = 4;
  static final int INT32_DATA = 5;
  static final int STRING_DATA = 6;
  static final int INT64_DATA = 7;
  static final int NAME = 8;
  static final int RAW_DATA = 9;
  static final int DOUBLE_DATA = 10;
  static final int UINT64_DATA = 11;
  static final int EXTERNAL_DATA = 13;
  static final int DATA_LOCATION = 14;

  /** Copies the lists. */
  public TensorProto {
    dims = List.copyOf(dims);
  }

  /** A float tensor with its values in {@code raw_data}. */
  public static TensorProto ofFloats(String name, long[] dims, float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return ofRaw(name, DataType.FLOAT, dims, UnsafeByteOperations.unsafeWrap(buffer.array()));
  }

  /** An int64 tensor with its values in {@code raw_data}. */
  public static TensorProto ofLongs(String name, long[] dims, long[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asLongBuffer().put(values);
    return ofRaw(name, DataType.INT64, dims, UnsafeByteOperations.unsafeWrap(buffer.array()));
  }

  /** A float16 tensor from IEEE half-precision bit patterns. */
  public static TensorProto ofFloat16(String name, long[] dims, short[] halfBits) {
    ByteBuffer buffer = ByteBuffer.allocate(halfBits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asShortBuffer().put(halfBits);
    return ofRaw(name, DataType.FLOAT16, dims, UnsafeByteOperations.unsafeWrap(buffer.array()));
  }

  /** An int8 ({@link DataType#INT8}) or uint8 ({@link DataType#UINT8}) tensor; the array is not copied. */
  public static TensorProto ofBytes(String name, int dataType, long[] dims, byte[] values) {
    return ofRaw(name, dataType, dims, UnsafeByteOperations.unsafeWrap(values));
  }

  /** A tensor of any fixed-size type from its little-endian bytes. */
  public static TensorProto ofRaw(String name, int dataType, long[] dims, ByteString rawData) {
    TensorProto tensor = new TensorProto(boxed(dims), false, dataType, ByteString.EMPTY, true, name, rawData, null,
        RawFields.none());
    int size = DataType.byteSize(dataType);
    if (size == 0 || tensor.elementCount() * size != rawData.size()) {
      throw new IllegalArgumentException("tensor " + name + " of " + DataType.name(dataType) + " " + Arrays.toString(dims)
          + " needs " + tensor.elementCount() * size + " bytes, got " + rawData.size());
    }
    return tensor;
  }

  /** The name, or the empty string when absent. */
  public String nameOrEmpty() {
    return name == null ? "" : name;
  }

  /** The element type, or {@link DataType#UNDEFINED} when absent. */
  public int dataTypeOrUndefined() {
    return dataType == null ? DataType.UNDEFINED : dataType;
  }

  /** The shape as an array. */
  public long[] shape() {
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  /** The number of elements: the product of the dims, 1 for a scalar. */
  public long elementCount() {
    long count = 1;
    for (long dim : dims) {
      count *= dim;
    }
    return count;
  }

  /** Whether the data lives in a file next to the model rather than in it. */
  public boolean isExternal() {
    return (dataLocation != null && dataLocation == 1) || unknown.has(EXTERNAL_DATA);
  }

  /**
   * The values of a float tensor, from {@code raw_data} or {@code float_data}.
   *
   * @throws IllegalStateException when the tensor is not FLOAT or its data does not match its shape
   */
  public float[] floats() {
    if (dataTypeOrUndefined() != DataType.FLOAT) {
      throw new IllegalStateException("tensor " + nameOrEmpty() + " is " + DataType.name(dataTypeOrUndefined())
          + ", not FLOAT");
    }
    ByteString bytes = rawData != null ? rawData : floatData;
    long count = elementCount();
    if (bytes.size() != count * 4) {
      throw new IllegalStateException("tensor " + nameOrEmpty() + " has shape " + dims + " (" + count
          + " floats) but " + bytes.size() + " bytes of float data");
    }
    float[] values = new float[(int) count];
    bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  /** This tensor under another name. */
  public TensorProto withName(String newName) {
    return new TensorProto(dims, dimsPacked, dataType, floatData, floatDataPacked, newName, rawData, dataLocation,
        unknown);
  }

  /**
   * This tensor (same name, shape and other fields) holding {@code newRawData} of {@code newDataType}; every other data
   * field is dropped.
   */
  public TensorProto withData(int newDataType, ByteString newRawData) {
    RawFields rest = unknown.without(INT32_DATA).without(STRING_DATA).without(INT64_DATA).without(DOUBLE_DATA)
        .without(UINT64_DATA);
    return new TensorProto(dims, dimsPacked, newDataType, ByteString.EMPTY, floatDataPacked, name, newRawData,
        dataLocation, rest);
  }

  static TensorProto read(WireReader in) throws IOException {
    List<Long> dims = new ArrayList<>();
    boolean dimsPacked = false;
    Integer dataType = null;
    ByteString floatData = ByteString.EMPTY;
    boolean floatDataPacked = true;
    String name = null;
    ByteString rawData = null;
    Integer dataLocation = null;
    List<RawFields.Field> unknown = new ArrayList<>();
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      switch (tag >>> 3) {
        case DIMS -> dimsPacked = in.int64s(tag, dims);
        case DATA_TYPE -> dataType = in.int32(tag);
        case FLOAT_DATA -> {
          floatDataPacked = (tag & 7) == 2;
          floatData = floatData.concat(in.float32Bytes(tag));
        }
        case NAME -> name = in.string(tag);
        case RAW_DATA -> rawData = in.bytes(tag);
        case DATA_LOCATION -> dataLocation = in.int32(tag);
        default -> in.keep(tag, unknown);
      }
    }
    return new TensorProto(dims, dimsPacked, dataType, floatData, floatDataPacked, name, rawData, dataLocation,
        new RawFields(unknown));
  }

  @Override
  public void emit(WireSink sink) {
    RawFields.Cursor raw = unknown.cursor(sink);
    sink.int64s(DIMS, dims, dimsPacked);
    raw.before(DATA_TYPE);
    if (dataType != null) {
      sink.int32(DATA_TYPE, dataType);
    }
    raw.before(FLOAT_DATA);
    sink.float32s(FLOAT_DATA, floatData, floatDataPacked);
    raw.before(NAME);
    if (name != null) {
      sink.string(NAME, name);
    }
    raw.before(RAW_DATA);
    if (rawData != null) {
      sink.bytes(RAW_DATA, rawData);
    }
    raw.before(DATA_LOCATION);
    if (dataLocation != null) {
      sink.int32(DATA_LOCATION, dataLocation);
    }
    raw.rest();
  }

  /** A summary: name, type, shape and where the data is, not the data. */
  @Override
  public String toString() {
    return "TensorProto[" + nameOrEmpty() + " " + DataType.name(dataTypeOrUndefined()) + " " + dims
        + (rawData != null ? ", raw_data " + rawData.size() + " bytes" : "")
        + (floatData.isEmpty() ? "" : ", float_data " + floatData.size() / 4 + " values")
        + (isExternal() ? ", external" : "") + (unknown.fields().isEmpty() ? "" : ", " + unknown.fields().size()
        + " unmodeled fields") + "]";
  }

  static List<Long> boxed(long[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
