package dev.llmops.inference.internal.onnx;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * The fields of one message that the codec does not model, each kept as the exact bytes it was read from (tag and
 * value), in the order read. They are written back among the modeled fields by field number, which is the order
 * protobuf serializers use, so a model that is read and written unchanged keeps its bytes.
 *
 * @param fields the unmodeled fields, in the order they were read
 */
public record RawFields(List<Field> fields) {

  private static final RawFields NONE = new RawFields(List.of());

  /**
   * One unmodeled field.
   *
   * @param number the protobuf field number
   * @param bytes the tag and the value exactly as read
   */
  public record Field(int number, ByteString bytes) {}

  /** Copies the list. */
  public RawFields {
    fields = List.copyOf(fields);
  }

  /** No unmodeled fields: what newly built messages carry. */
  public static RawFields none() {
    return NONE;
  }

  /** Whether a field with this number is among the unmodeled ones. */
  public boolean has(int number) {
    for (Field field : fields) {
      if (field.number() == number) {
        return true;
      }
    }
    return false;
  }

  /** These fields without the ones numbered {@code number}. */
  public RawFields without(int number) {
    return has(number) ? new RawFields(fields.stream().filter(f -> f.number() != number).toList()) : this;
  }

  /** Starts writing these fields into {@code sink}, interleaved with the modeled ones by field number. */
  Cursor cursor(WireSink sink) {
    return new Cursor(sink);
  }

  /** Emits the unmodeled fields that come before each modeled field, then the rest. */
  final class Cursor {
    private final WireSink sink;
    private int next;

    private Cursor(WireSink sink) {
      this.sink = sink;
    }

    /** Emits the pending unmodeled fields numbered below {@code number}. */
    void before(int number) {
      while (next < fields.size() && fields.get(next).number() < number) {
        sink.raw(fields.get(next++).bytes());
      }
    }

    /** Emits every pending unmodeled field. */
    void rest() {
      before(Integer.MAX_VALUE);
    }
  }
}
