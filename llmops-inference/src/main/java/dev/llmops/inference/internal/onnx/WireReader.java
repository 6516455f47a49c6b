package dev.llmops.inference.internal.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.List;

/**
 * Reads protobuf fields from a byte array. Byte and string values and unmodeled fields alias the array instead of
 * copying it, so a 90 MB model is held in memory once. Not thread-safe; one per parse.
 */
final class WireReader {

  /** Parses one message whose bounds the reader has already set. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(WireReader reader) throws IOException;
  }

  private final byte[] data;
  private final CodedInputStream in;
  private int tagStart;

  WireReader(byte[] data) {
    this.data = data;
    this.in = CodedInputStream.newInstance(data);
    in.enableAliasing(true);
    in.setSizeLimit(Integer.MAX_VALUE);
  }

  /** The offset of the next byte to read, from the start of the array. */
  int position() {
    return in.getTotalBytesRead();
  }

  /** The next tag of the current message, or 0 at its end. */
  int tag() throws IOException {
    tagStart = in.getTotalBytesRead();
    return in.readTag();
  }

  /** Reads a whole top-level message: the array holds nothing else. */
  <T> T top(Parser<T> parser) throws IOException {
    T value = parser.parse(this);
    if (!in.isAtEnd()) {
      throw new InvalidProtocolBufferException("unexpected data after the message at byte " + position());
    }
    return value;
  }

  /** Reads a length-delimited nested message with {@code parser}. */
  <T> T message(int tag, Parser<T> parser) throws IOException {
    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    int length = in.readRawVarint32();
    int oldLimit = in.pushLimit(length);
    T value = parser.parse(this);
    if (!in.isAtEnd()) {
      throw new InvalidProtocolBufferException("malformed nested message ending at byte " + position());
    }
    in.popLimit(oldLimit);
    return value;
  }

  String string(int tag) throws IOException {
    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    return in.readString();
  }

  ByteString bytes(int tag) throws IOException {
    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    return in.readBytes();
  }

  long int64(int tag) throws IOException {
    expect(tag, WireFormat.WIRETYPE_VARINT);
    return in.readInt64();
  }

  int int32(int tag) throws IOException {
    expect(tag, WireFormat.WIRETYPE_VARINT);
    return in.readInt32();
  }

  float float32(int tag) throws IOException {
    expect(tag, WireFormat.WIRETYPE_FIXED32);
    return in.readFloat();
  }

  /** Reads one record of a repeated int64 field into {@code into}; returns whether it was packed. */
  boolean int64s(int tag, List<Long> into) throws IOException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int oldLimit = in.pushLimit(in.readRawVarint32());
      while (!in.isAtEnd()) {
        into.add(in.readInt64());
      }
      in.popLimit(oldLimit);
      return true;
    }
    into.add(int64(tag));
    return false;
  }

  /** Reads one record of a repeated float field into {@code into}; returns whether it was packed. */
  boolean float32s(int tag, List<Float> into) throws IOException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int oldLimit = in.pushLimit(in.readRawVarint32());
      while (!in.isAtEnd()) {
        into.add(in.readFloat());
      }
      in.popLimit(oldLimit);
      return true;
    }
    into.add(float32(tag));
    return false;
  }

  /** Reads one record of a repeated float field as little-endian bytes (packed records are aliased, not copied). */
  ByteString float32Bytes(int tag) throws IOException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      ByteString bytes = in.readBytes();
      if (bytes.size() % 4 != 0) {
        throw new InvalidProtocolBufferException("packed float field of " + bytes.size() + " bytes at byte " + tagStart);
      }
      return bytes;
    }
    expect(tag, WireFormat.WIRETYPE_FIXED32);
    return ByteString.copyFrom(in.readRawBytes(4));
  }

  /** Skips the field whose tag was just read and keeps its exact bytes in {@code into}. */
  void keep(int tag, List<RawFields.Field> into) throws IOException {
    in.skipField(tag);
    into.add(new RawFields.Field(WireFormat.getTagFieldNumber(tag),
        UnsafeByteOperations.unsafeWrap(data, tagStart, position() - tagStart)));
  }

  private void expect(int tag, int wireType) throws InvalidProtocolBufferException {
    if (WireFormat.getTagWireType(tag) != wireType) {
      throw new InvalidProtocolBufferException("field " + WireFormat.getTagFieldNumber(tag) + " has wire type "
          + WireFormat.getTagWireType(tag) + ", expected " + wireType + ", at byte " + tagStart);
    }
  }
}
