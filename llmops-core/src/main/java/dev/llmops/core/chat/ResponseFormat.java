package dev.llmops.core.chat;

/** The shape the answer must take. */
public sealed interface ResponseFormat {

  /** Free text, the default. */
  static ResponseFormat text() {
    return Text.INSTANCE;
  }

  /** Any valid JSON object ("JSON mode"). */
  static ResponseFormat jsonObject() {
    return JsonObject.INSTANCE;
  }

  /**
   * JSON that follows a schema ("structured outputs").
   *
   * @param name a name for the schema, {@code [a-zA-Z0-9_-]{1,64}}
   * @param schemaJson the JSON Schema as JSON text
   * @param strict whether the server must enforce the schema exactly
   */
  static ResponseFormat jsonSchema(String name, String schemaJson, boolean strict) {
    return new JsonSchema(name, schemaJson, strict);
  }

  /** Free text. */
  enum Text implements ResponseFormat {
    /** The only instance. */
    INSTANCE
  }

  /** Any JSON object. */
  enum JsonObject implements ResponseFormat {
    /** The only instance. */
    INSTANCE
  }

  /**
   * JSON that follows {@code schemaJson}.
   *
   * @param name the schema's name
   * @param schemaJson the JSON Schema as JSON text
   * @param strict whether the server must enforce it exactly
   */
  record JsonSchema(String name, String schemaJson, boolean strict) implements ResponseFormat {
    /** Validates the fields. */
    public JsonSchema {
      if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
        throw new IllegalArgumentException(
            "a response schema name must match [a-zA-Z0-9_-]{1,64} but was '" + name + "'");
      }
      String problem = dev.llmops.core.internal.Json.objectProblem(schemaJson);
      if (problem != null) {
        throw new IllegalArgumentException("response schema '" + name + "' must be a JSON object: " + problem);
      }
    }
  }
}
