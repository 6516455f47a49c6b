package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The caller gave up on the call: its thread was interrupted or it cancelled the operation. The interrupt
 * flag is set again before this is thrown, so code further up still sees it.
 */
public class CancelledException extends NonRetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was cancelled
   * @param cause the interruption, or {@code null}
   */
  public CancelledException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
