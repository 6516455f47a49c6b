package dev.llmops.inference.internal.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An ONNX {@code OperatorSetIdProto}: one operator set the model imports.
 *
 * @param domain the domain ({@code ""} or absent for the default ONNX domain)
 * @param version the operator set version, or {@code null} when absent
 * @param unknown every other field, as read
 */
public record OpsetId(@Nullable String domain, @Nullable Long version, RawFields unknown) implements WireMessage {

  /** The default ONNX domain, as an opset import spells it. */
  public static final String DEFAULT_DOMAIN = "";

  /** An import of {@code domain} at {@code version}. */
  public static OpsetId of(String domain, long version) {
    return new OpsetId(domain, version, RawFields.none());
  }

  /** The domain with {@code ai.onnx} and absence both read as the default domain {@code ""}. */
  public String normalizedDomain() {
    return domain == null || domain.equals("ai.onnx") ? DEFAULT_DOMAIN : domain;
  }

  static OpsetId read(WireReader in) throws IOException {
    String domain = null;
    Long version = null;
    List<RawFields.Field> unknown = new ArrayList<>();
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      switch (tag >>> 3) {
        case 1 -> domain = in.string(tag);
        case 2 -> version = in.int64(tag);
        default -> in.keep(tag, unknown);
      }
    }
    return new OpsetId(domain, version, new RawFields(unknown));
  }

  @Override
  public void emit(WireSink sink) {
    RawFields.Cursor raw = unknown.cursor(sink);
    if (domain != null) {
      sink.string(1, domain);
    }
    raw.before(2);
    if (version != null) {
      sink.int64(2, version);
    }
    raw.rest();
  }
}
