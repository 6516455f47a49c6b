package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The conversation does not fit the model's context window (OpenAI's {@code context_length_exceeded}). The same
 * request fails again on the same model; a model with a longer context, or a shorter conversation, may answer it.
 */
public class ContextTooLongException extends InvalidRequestException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the model or endpoint
   * @param cause the underlying failure, or {@code null}
   */
  public ContextTooLongException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message what failed
   */
  public ContextTooLongException(String message) {
    this(message, null);
  }
}
