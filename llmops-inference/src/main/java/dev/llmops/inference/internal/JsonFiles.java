package dev.llmops.inference.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.CorruptDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the JSON files that come with a model ({@code config.json} and the like). */
public final class JsonFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonFiles() {}

  /**
   * The JSON object in {@code file}, or a missing node when there is no such file.
   *
   * @throws CorruptDataException when the file is not a JSON object
   */
  public static JsonNode readObject(Path file) {
    if (!Files.isRegularFile(file)) {
      return JSON.missingNode();
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
      if (node == null || !node.isObject()) {
        throw new CorruptDataException(file + " is not a JSON object", null);
      }
      return node;
    } catch (IOException e) {
      throw new CorruptDataException("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }
}
