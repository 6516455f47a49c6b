package dev.llmops.inference.internal.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Where a {@link WireMessage} emits its fields. One emit method serves both sizing and writing, so the two can never
 * disagree: {@link #sizeOf} runs it into a counter, {@link #writeTo} into a {@link CodedOutputStream}.
 */
abstract sealed class WireSink {

  /** The serialized size of {@code message} in bytes. */
  static int sizeOf(WireMessage message) {
    Counter counter = new Counter();
    message.emit(counter);
    return counter.size;
  }

  /** Writes {@code message} without a length prefix, as a top-level message. */
  static void writeTo(WireMessage message, CodedOutputStream out) {
    message.emit(new Writer(out));
  }

  abstract void int64(int field, long value);

  abstract void int32(int field, int value);

  abstract void float32(int field, float value);

  abstract void string(int field, String value);

  abstract void bytes(int field, ByteString value);

  abstract void message(int field, WireMessage value);

  /** A repeated int64 field, packed (one length-delimited record) or one record per value. */
  abstract void int64s(int field, List<Long> values, boolean packed);

  /** A repeated float field, given as little-endian bytes, packed or one fixed32 record per value. */
  abstract void float32s(int field, ByteString littleEndian, boolean packed);

  /** A repeated float field, packed or one fixed32 record per value. */
  abstract void float32s(int field, List<Float> values, boolean packed);

  /** Bytes that already hold tag and value. */
  abstract void raw(ByteString bytes);

  /** Counts the bytes the writer would write. */
  static final class Counter extends WireSink {
    private int size;

    private void add(long bytes) {
      long total = size + bytes;
      if (total > Integer.MAX_VALUE) {
        throw new IllegalStateException("an ONNX message over 2 GiB cannot be written without external data");
      }
      size = (int) total;
    }

    @Override
    void int64(int field, long value) {
      add(CodedOutputStream.computeInt64Size(field, value));
    }

    @Override
    void int32(int field, int value) {
      add(CodedOutputStream.computeInt32Size(field, value));
    }

    @Override
    void float32(int field, float value) {
      add(CodedOutputStream.computeFloatSize(field, value));
    }

    @Override
    void string(int field, String value) {
      add(CodedOutputStream.computeStringSize(field, value));
    }

    @Override
    void bytes(int field, ByteString value) {
      add(CodedOutputStream.computeBytesSize(field, value));
    }

    @Override
    void message(int field, WireMessage value) {
      int length = sizeOf(value);
      add((long) CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length) + length);
    }

    @Override
    void int64s(int field, List<Long> values, boolean packed) {
      if (values.isEmpty()) {
        return;
      }
      long payload = 0;
      for (long value : values) {
        payload += CodedOutputStream.computeInt64SizeNoTag(value);
      }
      add(packed
          ? CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag((int) payload) + payload
          : (long) CodedOutputStream.computeTagSize(field) * values.size() + payload);
    }

    @Override
    void float32s(int field, ByteString littleEndian, boolean packed) {
      floats(field, littleEndian.size() / 4, packed);
    }

    @Override
    void float32s(int field, List<Float> values, boolean packed) {
      floats(field, values.size(), packed);
    }

    private void floats(int field, int count, boolean packed) {
      if (count == 0) {
        return;
      }
      long payload = 4L * count;
      add(packed
          ? CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag((int) payload) + payload
          : (long) CodedOutputStream.computeTagSize(field) * count + payload);
    }

    @Override
    void raw(ByteString bytes) {
      add(bytes.size());
    }
  }

  /** Writes to a protobuf output stream; I/O failures surface as {@link UncheckedIOException}. */
  static final class Writer extends WireSink {
    private final CodedOutputStream out;

    Writer(CodedOutputStream out) {
      this.out = out;
    }

    @Override
    void int64(int field, long value) {
      try {
        out.writeInt64(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void int32(int field, int value) {
      try {
        out.writeInt32(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void float32(int field, float value) {
      try {
        out.writeFloat(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void string(int field, String value) {
      try {
        out.writeString(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void bytes(int field, ByteString value) {
      try {
        out.writeBytes(field, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void message(int field, WireMessage value) {
      try {
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(sizeOf(value));
        value.emit(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void int64s(int field, List<Long> values, boolean packed) {
      if (values.isEmpty()) {
        return;
      }
      try {
        if (packed) {
          int payload = 0;
          for (long value : values) {
            payload += CodedOutputStream.computeInt64SizeNoTag(value);
          }
          out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeUInt32NoTag(payload);
          for (long value : values) {
            out.writeInt64NoTag(value);
          }
        } else {
          for (long value : values) {
            out.writeInt64(field, value);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void float32s(int field, ByteString littleEndian, boolean packed) {
      if (littleEndian.isEmpty()) {
        return;
      }
      try {
        if (packed) {
          out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeUInt32NoTag(littleEndian.size());
          out.writeRawBytes(littleEndian);
        } else {
          for (int i = 0; i + 4 <= littleEndian.size(); i += 4) {
            out.writeTag(field, WireFormat.WIRETYPE_FIXED32);
            out.writeRawBytes(littleEndian.substring(i, i + 4));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void float32s(int field, List<Float> values, boolean packed) {
      if (values.isEmpty()) {
        return;
      }
      try {
        if (packed) {
          out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeUInt32NoTag(4 * values.size());
          for (float value : values) {
            out.writeFloatNoTag(value);
          }
        } else {
          for (float value : values) {
            out.writeFloat(field, value);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void raw(ByteString bytes) {
      try {
        out.writeRawBytes(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
