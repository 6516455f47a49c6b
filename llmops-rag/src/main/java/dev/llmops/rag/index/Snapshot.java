package dev.llmops.rag.index;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, committed state of an index. Every ingestion that changes something commits a new one; a
 * query can pin one by id; {@link DocumentIndex#rollback(String)} makes an earlier one current again.
 *
 * @param id the snapshot id, unique within the index and never reused
 * @param createdAt when it was committed
 * @param parentId the snapshot it was built on, or {@code null} for the first
 * @param documents the documents it holds
 * @param chunks the chunks it holds
 */
public record Snapshot(String id, Instant createdAt, @Nullable String parentId, int documents, int chunks) {

  /** Validates. */
  public Snapshot {
    if (id.isBlank()) {
      throw new IllegalArgumentException("a snapshot needs an id");
    }
    Objects.requireNonNull(createdAt, "createdAt");
    if (documents < 0 || chunks < 0) {
      throw new IllegalArgumentException("counts cannot be negative: " + documents + " documents, " + chunks + " chunks");
    }
  }
}
