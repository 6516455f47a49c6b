package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** The call conflicts with the current state: a version that already exists, a concurrent change (HTTP 409). */
public class ConflictException extends NonRetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, with the offending value
   * @param cause the underlying failure, or {@code null}
   */
  public ConflictException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message what was wrong, with the offending value
   */
  public ConflictException(String message) {
    this(message, null);
  }
}
