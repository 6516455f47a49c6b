package dev.llmops.core;

import java.io.Serial;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A failure that may go away if the same call is made again later: overload, timeouts, outages. */
public abstract class RetriableException extends LlmOpsException {
  @Serial private static final long serialVersionUID = 1L;

  private final @Nullable Duration retryAfter;

  /**
   * Creates a retriable failure.
   *
   * @param message what failed
   * @param retryAfter how long the server asked the caller to wait, or {@code null} if it did not say
   * @param cause the underlying failure, or {@code null}
   */
  protected RetriableException(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    super(message, cause);
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative but was " + retryAfter);
    }
    this.retryAfter = retryAfter;
  }

  /** The delay the server asked for before the next try ({@code Retry-After}), when it named one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public final boolean isRetriable() {
    return true;
  }
}
