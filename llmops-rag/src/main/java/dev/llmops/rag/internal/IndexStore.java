package dev.llmops.rag.internal;

import dev.llmops.rag.index.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where an index keeps its chunks: the storage and the two raw searches, below the engine that plans
 * ingestions, fuses, re-ranks and groups. One implementation per backend; every one must give the same
 * answers to the contract tests.
 */
public interface IndexStore extends AutoCloseable {

  /** What the stored index was built with, from its last commit; empty for a new index. */
  Map<String, String> properties();

  /** The current snapshot, empty before the first commit. */
  Optional<Snapshot> current();

  /** The retained snapshots, newest first. */
  List<Snapshot> snapshots();

  /** Document id to content hash, as of the head an ingestion builds on (may include a crashed run's checkpoint). */
  Map<String, String> headHashes();

  /** Whether the head holds checkpointed work of a run that never committed (a crash), not yet published. */
  boolean hasUnpublishedWork();

  /** Starts an ingestion on the head. Only one at a time (the engine serialises them). */
  Writer writer();

  /** Makes a retained snapshot current; the next writer builds on it. */
  Snapshot rollback(String snapshotId);

  /**
   * A read view of a snapshot, held until closed.
   *
   * @param snapshotId the snapshot, or {@code null} for the current one
   * @return the view, or empty when the index has no snapshot yet and none was asked for
   * @throws dev.llmops.core.NotFoundException if the snapshot is not retained
   */
  Optional<View> view(@Nullable String snapshotId);

  @Override
  void close();

  /** Changes to the head, invisible to searches until committed. */
  interface Writer {

    /** Removes a document and its chunks (no-op when absent). */
    void delete(String documentId);

    /** Adds a document's chunks under its content hash, replacing any previous version. */
    void put(String documentId, String hash, List<StoredChunk> chunks);

    /**
     * Makes the changes so far durable without publishing them, so a crashed run can resume from here.
     *
     * @param properties what the index is built with, recorded with the checkpoint as with a snapshot (a run that
     *     dies before its first snapshot leaves vectors that only this model can search)
     */
    void checkpoint(Map<String, String> properties);

    /**
     * Publishes the changes as a new snapshot.
     *
     * @param properties what the index was built with, recorded with the snapshot
     * @return the new snapshot
     */
    Snapshot commit(Map<String, String> properties);

    /** Drops the changes since the last checkpoint (the checkpoint itself stays for the next run). */
    void abort();
  }

  /** A consistent read of one snapshot. Thread-safe; close once. */
  interface View extends AutoCloseable {

    /** The snapshot read. */
    Snapshot snapshot();

    /** The top {@code n} chunks by BM25 among those the scope admits. */
    List<Hit> lexical(String text, int n, Scope scope);

    /** The top {@code n} chunks by cosine similarity to a unit vector among those the scope admits. */
    List<Hit> dense(float[] vector, int n, Scope scope);

    /** The chunk a hit of this view refers to. */
    StoredChunk chunk(int ref);

    /** The document id of the chunk a hit of this view refers to (cheaper than loading the chunk). */
    String documentId(int ref);

    /** Document id to content hash, for the snapshot's documents. */
    Map<String, String> documentHashes();

    /** The ids of the snapshot's documents. */
    List<String> documentIds();

    @Override
    void close();
  }
}
