package dev.llmops.core;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * Stored data that cannot be read: a hand-broken or truncated file, a row that does not parse. The message names
 * where it is; the rest of the store stays usable.
 */
public class CorruptDataException extends NonRetriableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which file or row, and what is wrong with it
   * @param cause the parse failure, or {@code null}
   */
  public CorruptDataException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
