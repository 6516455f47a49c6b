package dev.llmops.core.chat;

/** Who wrote a {@link ChatMessage}. */
public enum Role {
  /** Instructions that frame the conversation. */
  SYSTEM,
  /** The end user. */
  USER,
  /** The model. */
  ASSISTANT,
  /** The result of a tool the model asked to call. */
  TOOL
}
