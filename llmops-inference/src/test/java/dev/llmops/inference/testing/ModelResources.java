package dev.llmops.inference.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The all-MiniLM-L6-v2 files on the test class path (from the langchain4j model artifacts), copied where tests need them. */
public final class ModelResources {

  /** The fp32 model, 90 MB. */
  public static final String MINILM = "all-minilm-l6-v2.onnx";

  /** The published int8 model (onnxruntime {@code quantize_dynamic}), 23 MB. */
  public static final String MINILM_INT8 = "all-minilm-l6-v2-q.onnx";

  /** The tokenizer of both models (WordPiece, 30522 ids). */
  public static final String MINILM_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

  private ModelResources() {}

  /** Copies the class path resource {@code name} to {@code target}; returns {@code target}. */
  public static Path copy(String name, Path target) {
    try (InputStream in = ModelResources.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + name + " on the test class path");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes of the class path resource {@code name}. */
  public static byte[] bytes(String name) {
    try (InputStream in = ModelResources.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + name + " on the test class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
