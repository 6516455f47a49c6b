package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** A failure that repeating the same call will not fix: the request, the credentials or a policy must change. */
public abstract class NonRetriableException extends LlmOpsException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates a non-retriable failure.
   *
   * @param message what was wrong, with the offending value
   * @param cause the underlying failure, or {@code null}
   */
  protected NonRetriableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  @Override
  public final boolean isRetriable() {
    return false;
  }
}
