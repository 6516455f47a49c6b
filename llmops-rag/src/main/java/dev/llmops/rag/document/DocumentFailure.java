package dev.llmops.rag.document;

import java.util.Objects;

/**
 * A document that could not be loaded or indexed, and why. A failure is always about one document: the
 * others of the same batch or folder go on.
 *
 * @param documentId the document's id, or its source when the failure came before an id was known
 * @param source where it came from (a path, a URL, {@code corpus.jsonl:17}), or the empty string
 * @param reason what was wrong, in words a user can act on
 */
public record DocumentFailure(String documentId, String source, String reason) {

  /** Validates. */
  public DocumentFailure {
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(source, "source");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a failure needs a reason");
    }
  }

  @Override
  public String toString() {
    return (documentId.isEmpty() ? source : documentId) + ": " + reason;
  }
}
