package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The account's quota or budget is spent (OpenAI answers 429 {@code insufficient_quota}). Unlike a rate
 * limit, waiting does not help: someone must raise the quota.
 */
public class QuotaExceededException extends NonRetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which account or budget ran out
   * @param cause the underlying failure, or {@code null}
   */
  public QuotaExceededException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message which account or budget ran out
   */
  public QuotaExceededException(String message) {
    this(message, null);
  }
}
