package dev.llmops.inference.generate;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoraAdapter;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads LoRA adapters in ONNX Runtime's adapter format for a decoder. */
final class LoraAdapters {

  private LoraAdapters() {}

  /**
   * Loads {@code file} as adapter {@code name} of {@code session}'s model.
   *
   * @throws NotFoundException when the file does not exist
   * @throws CorruptDataException when ONNX Runtime cannot read it
   */
  static OrtLoraAdapter load(String name, Path file, DecoderSession session) {
    if (!Files.isRegularFile(file)) {
      throw new NotFoundException("adapter '" + name + "': no file " + file);
    }
    try {
      return OrtLoraAdapter.create(file.toString());
    } catch (OrtException e) {
      throw new CorruptDataException("adapter '" + name + "': cannot read " + file + " as an ONNX Runtime adapter: "
          + e.getMessage(), e);
    }
  }
}
