package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** A guard or policy blocked the call; the message is safe to show to the end user only where the policy says so. */
public class PolicyViolationException extends NonRetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, with the offending value
   * @param cause the underlying failure, or {@code null}
   */
  public PolicyViolationException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message what was wrong, with the offending value
   */
  public PolicyViolationException(String message) {
    this(message, null);
  }
}
