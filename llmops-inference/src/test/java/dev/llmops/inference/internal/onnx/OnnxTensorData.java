package dev.llmops.inference.internal.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test helper: float values as the little-endian bytes the codec keeps. */
final class OnnxTensorData {
  private OnnxTensorData() {}

  static ByteString littleEndian(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return ByteString.copyFrom(buffer.array());
  }
}
