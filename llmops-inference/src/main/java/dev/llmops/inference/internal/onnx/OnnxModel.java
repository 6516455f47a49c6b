package dev.llmops.inference.internal.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * An ONNX {@code ModelProto}. Producer version, domain, model version, doc string, metadata, training info and
 * model-local functions stay raw.
 *
 * @param irVersion the IR version, or {@code null} when absent
 * @param producerName the producer name, or {@code null} when absent
 * @param graph the graph
 * @param opsetImports the operator sets the graph uses
 * @param unknown every other field, as read
 */
public record OnnxModel(
    @Nullable Long irVersion,
    @Nullable String producerName,
    OnnxGraph graph,
    List<OpsetId> opsetImports,
    RawFields unknown) implements WireMessage {

  /** Copies the list. */
  public OnnxModel {
    opsetImports = List.copyOf(opsetImports);
  }

  /** The imported version of {@code domain} ({@code ""} for the default ONNX domain), if imported. */
  public OptionalLong opsetVersion(String domain) {
    for (OpsetId opset : opsetImports) {
      if (opset.normalizedDomain().equals(domain) && opset.version() != null) {
        return OptionalLong.of(opset.version());
      }
    }
    return OptionalLong.empty();
  }

  /** This model importing {@code domain} at {@code version}: added when not imported, left as is when imported. */
  public OnnxModel withOpsetImport(String domain, long version) {
    if (opsetVersion(domain).isPresent()) {
      return this;
    }
    List<OpsetId> list = new ArrayList<>(opsetImports);
    list.add(OpsetId.of(domain, version));
    return new OnnxModel(irVersion, producerName, graph, list, unknown);
  }

  /** This model with another graph. */
  public OnnxModel withGraph(OnnxGraph newGraph) {
    return new OnnxModel(irVersion, producerName, newGraph, opsetImports, unknown);
  }

  static OnnxModel read(WireReader in) throws IOException {
    Long irVersion = null;
    String producerName = null;
    OnnxGraph graph = null;
    List<OpsetId> opsets = new ArrayList<>();
    List<RawFields.Field> unknown = new ArrayList<>();
    for (int tag = in.tag(); tag != 0; tag = in.tag()) {
      switch (tag >>> 3) {
        case 1 -> irVersion = in.int64(tag);
        case 2 -> producerName = in.string(tag);
        case 7 -> graph = in.message(tag, OnnxGraph::read);
        case 8 -> opsets.add(in.message(tag, OpsetId::read));
        default -> in.keep(tag, unknown);
      }
    }
    if (graph == null) {
      throw new InvalidProtocolBufferException("the model has no graph (field 7)");
    }
    return new OnnxModel(irVersion, producerName, graph, opsets, new RawFields(unknown));
  }

  @Override
  public void emit(WireSink sink) {
    RawFields.Cursor raw = unknown.cursor(sink);
    if (irVersion != null) {
      sink.int64(1, irVersion);
    }
    raw.before(2);
    if (producerName != null) {
      sink.string(2, producerName);
    }
    raw.before(7);
    sink.message(7, graph);
    raw.before(8);
    for (OpsetId opset : opsetImports) {
      sink.message(8, opset);
    }
    raw.rest();
  }
}
