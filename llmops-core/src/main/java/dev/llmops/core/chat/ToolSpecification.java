package dev.llmops.core.chat;

/**
 * A function the model may ask to call.
 *
 * @param name the function name the model uses, {@code [a-zA-Z0-9_-]{1,64}}
 * @param description what the function does, for the model
 * @param parametersJsonSchema a JSON Schema (as JSON text) of the arguments object
 */
public record ToolSpecification(String name, String description, String parametersJsonSchema) {

  /** Validates the fields. */
  public ToolSpecification {
    if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(
          "a tool name must match [a-zA-Z0-9_-]{1,64} but was '" + name + "'");
    }
    String problem = dev.llmops.core.internal.Json.objectProblem(parametersJsonSchema);
    if (problem != null) {
      throw new IllegalArgumentException("the parameters schema of tool '" + name + "' must be a JSON object: " + problem);
    }
  }
}
