package dev.llmops.core.retrieval;

import dev.llmops.core.TextSpan;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a retrieved chunk came from, precisely enough to show the user the passage.
 *
 * @param documentId the source document's id
 * @param title the document's title, or the empty string
 * @param source where the document was loaded from (a path or URL)
 * @param page the 1-based page number for paged formats such as PDF, or {@code null}
 * @param span the chunk's characters in the document's extracted text
 * @param snapshotId the index snapshot the chunk was read from
 */
public record Citation(
    String documentId, String title, String source, @Nullable Integer page, TextSpan span, String snapshotId) {

  /** Validates the fields. */
  public Citation {
    if (documentId.isBlank()) {
      throw new IllegalArgumentException("a citation needs a document id");
    }
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(snapshotId, "snapshotId");
    if (page != null && page < 1) {
      throw new IllegalArgumentException("page numbers start at 1 but was " + page);
    }
  }
}
