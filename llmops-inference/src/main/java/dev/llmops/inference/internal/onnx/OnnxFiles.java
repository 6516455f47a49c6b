package dev.llmops.inference.internal.onnx;

import com.google.protobuf.CodedOutputStream;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads and writes ONNX model files. Stateless and thread-safe. */
public final class OnnxFiles {

  private OnnxFiles() {}

  /**
   * Reads the model in {@code file}.
   *
   * @throws NotFoundException when there is no such file
   * @throws CorruptDataException when the file is not a readable ONNX model (truncated, not protobuf, no graph)
   * @throws InvalidRequestException when the model keeps tensors in external data files, or is over 2 GiB
   * @throws UnavailableException when the file cannot be read
   */
  public static OnnxModel read(Path file) {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw new InvalidRequestException("expected an ONNX model file, got the directory " + file);
      }
      if (Files.size(file) > Integer.MAX_VALUE - 16) {
        throw new InvalidRequestException("the ONNX model " + file + " is over 2 GiB; models this large keep their"
            + " weights in external data, which is not supported");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("no ONNX model file at " + file, e);
    } catch (IOException e) {
      throw new UnavailableException("cannot read the ONNX model " + file + ": " + e, null, e);
    }
    return parse(bytes, file.toString());
  }

  /**
   * Parses a model from {@code bytes}; the model aliases the array, which must not change afterwards.
   *
   * @param source names the bytes in error messages, such as the file they came from
   * @throws CorruptDataException when the bytes are not a readable ONNX model
   * @throws InvalidRequestException when the model keeps tensors in external data files
   */
  public static OnnxModel parse(byte[] bytes, String source) {
    if (bytes.length == 0) {
      throw new CorruptDataException("the ONNX model " + source + " is empty (0 bytes)", null);
    }
    WireReader reader = new WireReader(bytes);
    OnnxModel model;
    try {
      model = reader.top(OnnxModel::read);
    } catch (IOException | RuntimeException e) {
      throw new CorruptDataException("the ONNX model " + source + " (" + bytes.length
          + " bytes) is truncated or not an ONNX file: " + e.getMessage() + " (near byte " + reader.position() + ")", e);
    }
    rejectExternalData(model.graph(), source);
    return model;
  }

  /** Serializes {@code model}. */
  public static byte[] toBytes(OnnxModel model) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(WireSink.sizeOf(model));
    try {
      writeTo(model, buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return buffer.toByteArray();
  }

  /** Writes {@code model} to {@code out}, which is flushed but not closed. */
  public static void writeTo(OnnxModel model, OutputStream out) throws IOException {
    CodedOutputStream coded = CodedOutputStream.newInstance(out, 1 << 16);
    try {
      WireSink.writeTo(model, coded);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    coded.flush();
    out.flush();
  }

  /**
   * Writes {@code model} to {@code file} (created or replaced) and forces it to disk.
   *
   * @throws IOException when the file cannot be written
   */
  public static void write(OnnxModel model, Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeTo(model, Channels.newOutputStream(channel));
      channel.force(true);
    }
  }

  private static void rejectExternalData(OnnxGraph graph, String source) {
    for (TensorProto tensor : graph.initializers()) {
      if (tensor.isExternal()) {
        throw new InvalidRequestException("the ONNX model " + source + " keeps tensor '" + tensor.nameOrEmpty()
            + "' in an external data file; only self-contained models (weights inside the .onnx file) are supported");
      }
    }
    for (OnnxNode node : graph.nodes()) {
      for (OnnxAttribute attribute : node.attributes()) {
        if (attribute.t() != null && attribute.t().isExternal()) {
          throw new InvalidRequestException("the ONNX model " + source + " keeps the value of node '"
              + node.nameOrEmpty() + "' in an external data file; only self-contained models are supported");
        }
        attribute.subgraphs().forEach(g -> rejectExternalData(g, source));
      }
    }
  }
}
