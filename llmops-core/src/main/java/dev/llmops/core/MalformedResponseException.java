package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** The other side answered with something that does not follow its protocol (unparsable JSON, a missing field). */
public class MalformedResponseException extends NonRetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, with the offending value
   * @param cause the underlying failure, or {@code null}
   */
  public MalformedResponseException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message what was wrong, with the offending value
   */
  public MalformedResponseException(String message) {
    this(message, null);
  }
}
