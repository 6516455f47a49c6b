package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The root of every exception llmops throws. It is unchecked, and it is split by what the caller can do
 * about it: {@link RetriableException} (the same call may succeed later) and {@link NonRetriableException}
 * (it will not). {@link #isRetriable()} tells which without an {@code instanceof}.
 */
public abstract class LlmOpsException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that says what was wrong and with which value.
   *
   * @param message what failed, naming the offending value, file or endpoint
   * @param cause the underlying failure, or {@code null}
   */
  protected LlmOpsException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Whether repeating the same call may succeed (after the delay the server asked for, if any). */
  public abstract boolean isRetriable();
}
