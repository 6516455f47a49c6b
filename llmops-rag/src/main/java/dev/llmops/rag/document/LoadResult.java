package dev.llmops.rag.document;

import java.util.List;

/**
 * What loading a folder or a corpus file gave: the documents, one failure per file or line that could not be
 * read, and how many entries were passed over on purpose.
 *
 * @param documents the documents, in load order
 * @param failures the files or lines that failed, in load order; each failed alone
 * @param skipped how many entries were skipped without being read: files no loader supports, or blank lines
 */
public record LoadResult(List<Document> documents, List<DocumentFailure> failures, int skipped) {

  /** Validates and copies. */
  public LoadResult {
    documents = List.copyOf(documents);
    failures = List.copyOf(failures);
    if (skipped < 0) {
      throw new IllegalArgumentException("skipped must not be negative but was " + skipped);
    }
  }
}
