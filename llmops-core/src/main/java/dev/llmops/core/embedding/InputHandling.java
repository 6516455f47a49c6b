package dev.llmops.core.embedding;

/** What a model did with an input to fit its context window. */
public enum InputHandling {
  /** The whole input was embedded in one pass. */
  WHOLE,
  /** The input was longer than the window and only its beginning was embedded, as the caller asked. */
  TRUNCATED,
  /** The input was split into windows and their vectors combined, as the caller asked. */
  CHUNKED
}
