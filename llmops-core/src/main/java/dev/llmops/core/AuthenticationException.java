package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** The credentials were missing, wrong or lack permission (HTTP 401, 403). */
public class AuthenticationException extends NonRetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, with the offending value
   * @param cause the underlying failure, or {@code null}
   */
  public AuthenticationException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message what was wrong, with the offending value
   */
  public AuthenticationException(String message) {
    this(message, null);
  }
}
