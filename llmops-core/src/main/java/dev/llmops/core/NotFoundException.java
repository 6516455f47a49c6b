package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** The named thing does not exist: a model, a prompt, a snapshot, an endpoint (HTTP 404). */
public class NotFoundException extends NonRetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, with the offending value
   * @param cause the underlying failure, or {@code null}
   */
  public NotFoundException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message what was wrong, with the offending value
   */
  public NotFoundException(String message) {
    this(message, null);
  }
}
