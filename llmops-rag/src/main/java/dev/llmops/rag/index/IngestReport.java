package dev.llmops.rag.index;

import dev.llmops.rag.document.DocumentFailure;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an ingestion did.
 *
 * @param snapshotId the snapshot current after it: a new one when something changed, else the one before
 *     ({@code null} when the index is still empty)
 * @param newSnapshot whether this ingestion committed a new snapshot
 * @param added documents that were not in the index
 * @param updated documents whose content changed and whose chunks were replaced
 * @param unchanged documents skipped because their content hash matched
 * @param deleted documents removed
 * @param failures documents refused, each with its reason; the rest were ingested
 * @param chunksEmbedded chunks sent to the embedding model (only those of added and updated documents)
 * @param embeddingTime time spent in the embedding model
 * @param totalTime wall time of the whole ingestion
 */
public record IngestReport(
    @Nullable String snapshotId, boolean newSnapshot, int added, int updated, int unchanged, int deleted,
    List<DocumentFailure> failures, int chunksEmbedded, Duration embeddingTime, Duration totalTime) {

  /** Validates and copies. */
  public IngestReport {
    failures = List.copyOf(failures);
    Objects.requireNonNull(embeddingTime, "embeddingTime");
    Objects.requireNonNull(totalTime, "totalTime");
  }

  /** The number of documents refused. */
  public int failed() {
    return failures.size();
  }

  @Override
  public String toString() {
    return "added " + added + ", updated " + updated + ", unchanged " + unchanged + ", deleted " + deleted
        + ", failed " + failures.size() + ", chunks embedded " + chunksEmbedded + ", snapshot " + snapshotId;
  }
}
