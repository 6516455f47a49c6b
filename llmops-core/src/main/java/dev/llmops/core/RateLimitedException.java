package dev.llmops.core;

import java.io.Serial;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The provider or a local limit refused the call for now (HTTP 429); {@link #retryAfter()} says how long to wait when known. */
public class RateLimitedException extends RetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the endpoint or component
   * @param retryAfter the delay the server asked for, or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public RateLimitedException(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    super(message, retryAfter, cause);
  }

  /**
   * Creates the exception without a server-named delay or cause.
   *
   * @param message what failed
   */
  public RateLimitedException(String message) {
    this(message, null, null);
  }
}
