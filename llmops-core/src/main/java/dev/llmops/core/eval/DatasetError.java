package dev.llmops.core.eval;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A dataset row that could not be read as a case. The row is left out of the run; the others run.
 *
 * @param source the dataset's file name (or the name given to {@link EvalDataset#parse})
 * @param line the row's 1-based line number
 * @param caseId the row's id when it could be read, else {@code null}
 * @param message what is wrong with the row, naming the field and value
 */
public record DatasetError(String source, int line, @Nullable String caseId, String message) {

  /** Validates. */
  public DatasetError {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line (case id): message}, like a compiler's error line. */
  @Override
  public String toString() {
    return source + ":" + line + (caseId == null ? "" : " (case " + caseId + ")") + ": " + message;
  }
}
