package dev.llmops.inference.internal.lora;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoraAdapter;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import dev.llmops.inference.internal.onnx.OnnxGraph;
import java.nio.file.Path;

/**
 * Loads LoRA adapters into ONNX Runtime safely: the file is read once, parsed and checked by {@link AdapterFiles}
 * (ONNX Runtime 1.24 crashes the process on some files its own verifier passes), checked against the model by
 * {@link AdapterCheck}, and only then handed to {@code OrtLoraAdapter.create(byte[])}, which copies the bytes.
 *
 * <p>The returned {@link OrtLoraAdapter} is the caller's to close, after every run that uses it has finished and
 * after, or together with, every {@code RunOptions} it was added to: a {@code RunOptions} holds only its native
 * pointer. It is safe to use from concurrent runs; its {@code close()} is not thread-safe and throws when called twice.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * OnnxGraph graph = OnnxFiles.read(modelFile).graph();
 * try (OrtLoraAdapter adapter = OrtAdapters.load(adapterFile, graph);
 *     OrtSession.RunOptions options = new OrtSession.RunOptions()) {
 *   options.addActiveLoraAdapter(adapter);
 *   session.run(inputs, options);
 * }
 * }</pre>
 */
public final class OrtAdapters {

  private OrtAdapters() {}

  /**
   * Reads the adapter in {@code file}, checks it against {@code graph} and loads it into ONNX Runtime.
   *
   * @throws NotFoundException when there is no such file
   * @throws CorruptDataException when the file is not an adapter file, is damaged, or ONNX Runtime refuses it
   * @throws InvalidRequestException when the adapter does not fit the model, or as {@link AdapterFiles#read}
   * @throws UnavailableException when the file cannot be read
   */
  public static OrtLoraAdapter load(Path file, OnnxGraph graph) {
    return load(AdapterFiles.readBytes(file), file.toString(), graph);
  }

  /**
   * Checks the adapter file {@code bytes} against {@code graph} and loads it into ONNX Runtime, which copies them.
   *
   * @param source names the adapter in error messages, such as its file
   * @throws CorruptDataException when the bytes are not an adapter file, are damaged, or ONNX Runtime refuses them
   * @throws InvalidRequestException when the adapter does not fit the model, or as {@link AdapterFiles#parse}
   */
  public static OrtLoraAdapter load(byte[] bytes, String source, OnnxGraph graph) {
    AdapterCheck.check(AdapterFiles.parse(bytes, source), source, graph);
    try {
      return OrtLoraAdapter.create(bytes);
    } catch (OrtException e) {
      throw new CorruptDataException("ONNX Runtime refused the LoRA adapter file " + source + ": " + e.getMessage(),
          e);
    }
  }
}
