package dev.llmops.core;

import java.io.Serial;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The call did not complete in time: no response, or a stream that stopped sending for longer than its idle timeout. */
public class RequestTimeoutException extends RetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the endpoint or component
   * @param retryAfter the delay the server asked for, or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public RequestTimeoutException(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    super(message, retryAfter, cause);
  }

  /**
   * Creates the exception without a server-named delay or cause.
   *
   * @param message what failed
   */
  public RequestTimeoutException(String message) {
    this(message, null, null);
  }
}
