package dev.llmops.guardrails.schema;

/** What a {@link JsonSchemaGuard} does with an answer that is not valid JSON for its schema. */
public enum SchemaAction {
  /** Ask the model again, telling it the errors and the schema (the default). */
  REASK,
  /** Stop with a message safe for the user. */
  BLOCK,
  /** Pass, reporting the errors as findings. */
  FLAG
}
