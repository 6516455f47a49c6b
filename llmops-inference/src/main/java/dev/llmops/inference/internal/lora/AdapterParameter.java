package dev.llmops.inference.internal.lora;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.inference.internal.onnx.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One named tensor of a LoRA adapter file: ONNX Runtime feeds it, for every run that activates the adapter, as the
 * model input of the same name.
 *
 * <p>Immutable: the arrays are copied in and out. Equality compares the name, type, shape and bytes.
 *
 * @param name the model input this parameter replaces; not empty
 * @param dataType the element type, numbered as ONNX's {@code TensorProto.DataType} (the adapter format's
 *     {@code TensorDataType} uses the same numbers); a fixed-size type such as {@link DataType#FLOAT}
 * @param dims the shape; every dimension is fixed and not negative
 * @param rawData the elements, little-endian, {@code product(dims) * size of dataType} bytes
 */
public record AdapterParameter(String name, int dataType, long[] dims, byte[] rawData) {

  /**
   * Checks and copies the arguments.
   *
   * @throws InvalidRequestException when the name is empty, the type has no fixed size, a dimension is negative, or
   *     the byte count does not match the shape
   */
  public AdapterParameter {
    if (name.isEmpty()) {
      throw new InvalidRequestException("a LoRA adapter parameter needs a name (the model input it replaces)");
    }
    int size = DataType.byteSize(dataType);
    if (size == 0) {
      throw new InvalidRequestException("LoRA adapter parameter '" + name + "' has element type "
          + DataType.name(dataType) + "; only fixed-size numeric types are supported");
    }
    dims = dims.clone();
    long count = elementCount(name, dims);
    if (count * size != rawData.length) {
      throw new InvalidRequestException("LoRA adapter parameter '" + name + "' of shape " + Arrays.toString(dims)
          + " and type " + DataType.name(dataType) + " needs " + count * size + " bytes, got " + rawData.length);
    }
    rawData = rawData.clone();
  }

  /**
   * A {@link DataType#FLOAT} parameter.
   *
   * @throws InvalidRequestException when {@code values} does not hold {@code product(dims)} floats, or as the
   *     constructor
   */
  public static AdapterParameter ofFloats(String name, long[] dims, float... values) {
    long count = elementCount(name, dims);
    if (count != values.length) {
      throw new InvalidRequestException("LoRA adapter parameter '" + name + "' of shape " + Arrays.toString(dims)
          + " needs " + count + " floats, got " + values.length);
    }
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return new AdapterParameter(name, DataType.FLOAT, dims, buffer.array());
  }

  /** The shape (a copy). */
  @Override
  public long[] dims() {
    return dims.clone();
  }

  /** The elements as little-endian bytes (a copy). */
  @Override
  public byte[] rawData() {
    return rawData.clone();
  }

  /** The number of elements, the product of the dims (1 for a scalar). */
  public long elementCount() {
    return elementCount(name, dims);
  }

  /**
   * The elements of a {@link DataType#FLOAT} parameter.
   *
   * @throws InvalidRequestException when the parameter has another type
   */
  public float[] floats() {
    if (dataType != DataType.FLOAT) {
      throw new InvalidRequestException("LoRA adapter parameter '" + name + "' is " + DataType.name(dataType)
          + ", not FLOAT");
    }
    float[] values = new float[rawData.length / Float.BYTES];
    ByteBuffer.wrap(rawData).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof AdapterParameter that && name.equals(that.name) && dataType == that.dataType
        && Arrays.equals(dims, that.dims) && Arrays.equals(rawData, that.rawData);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * name.hashCode() + dataType) + Arrays.hashCode(dims)) + Arrays.hashCode(rawData);
  }

  /** The name, type and shape; never the values. */
  @Override
  public String toString() {
    return name + ": " + DataType.name(dataType) + Arrays.toString(dims);
  }

  private static long elementCount(String name, long[] dims) {
    long count = 1;
    for (long dim : dims) {
      if (dim < 0) {
        throw new InvalidRequestException("LoRA adapter parameter '" + name + "' has a negative dimension in "
            + Arrays.toString(dims) + "; adapter tensors have fixed shapes");
      }
      try {
        count = Math.multiplyExact(count, dim);
      } catch (ArithmeticException e) {
        throw new InvalidRequestException("LoRA adapter parameter '" + name + "' has too many elements: "
            + Arrays.toString(dims), e);
      }
    }
    return count;
  }
}
