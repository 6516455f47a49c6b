package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** The request itself is wrong (HTTP 400, 413, 422, or a value rejected before sending); the message names what. */
public class InvalidRequestException extends NonRetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, with the offending value
   * @param cause the underlying failure, or {@code null}
   */
  public InvalidRequestException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message what was wrong, with the offending value
   */
  public InvalidRequestException(String message) {
    this(message, null);
  }
}
