package dev.llmops.core.observe.metrics;

import java.util.Locale;

/** A stage of the assistant pipeline, as {@link LlmOpsObservations} names it in the {@code stage} key. */
public enum PipelineStage {
  /** Retrieval of chunks from an index. */
  RETRIEVE,
  /** The input guards. */
  INPUT_GUARDS,
  /** The model call (one try of one deployment, or a whole local generation). */
  MODEL,
  /** The output guards. */
  OUTPUT_GUARDS,
  /** The router's whole call: release choice, retries, fallbacks. */
  ROUTE;

  /** The key value: {@code retrieve}, {@code input_guards}, {@code model}, {@code output_guards}, {@code route}. */
  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
