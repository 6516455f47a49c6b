package dev.llmops.guardrails.schema;

/** Where in a model's answer the JSON to validate is looked for. */
public enum JsonExtraction {
  /** The whole answer, surrounding whitespace ignored, must be one JSON value. */
  WHOLE_TEXT,
  /** The first fenced code block (three backticks, optionally tagged {@code json}); the answer itself if none. */
  FENCED_BLOCK,
  /** The first top-level object or array in the answer that parses, ignoring prose around it. */
  FIRST_VALUE,
  /**
   * The default: the whole answer if it starts with a JSON object or array, else the first fenced block, else
   * the first top-level object or array.
   */
  AUTO
}
