package dev.llmops.core.chat;

/** Why the model stopped producing tokens. */
public enum FinishReason {
  /** It finished its answer or hit a stop sequence. */
  STOP,
  /** It reached the token limit; the answer is cut off. */
  LENGTH,
  /** It stopped to call tools. */
  TOOL_CALLS,
  /** The provider's content filter removed or stopped the answer. */
  CONTENT_FILTER,
  /** The caller cancelled the stream. */
  CANCELLED,
  /** A reason the provider named that none of the others describes. */
  OTHER
}
