package dev.llmops.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/** JSON checks used by the API records. */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Why {@code text} is not a JSON object, or {@code null} if it is one. */
  public static @Nullable String objectProblem(String text) {
    try {
      var node = MAPPER.readTree(text);
      return node != null && node.isObject() ? null : "it is not a JSON object";
    } catch (JsonProcessingException e) {
      return e.getOriginalMessage();
    }
  }
}
