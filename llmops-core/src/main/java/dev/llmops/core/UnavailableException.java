package dev.llmops.core;

import java.io.Serial;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The service could not be reached or failed on its side (HTTP 5xx, connection refused, connection dropped mid-stream). */
public class UnavailableException extends RetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the endpoint or component
   * @param retryAfter the delay the server asked for, or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public UnavailableException(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    super(message, retryAfter, cause);
  }

  /**
   * Creates the exception without a server-named delay or cause.
   *
   * @param message what failed
   */
  public UnavailableException(String message) {
    this(message, null, null);
  }
}
