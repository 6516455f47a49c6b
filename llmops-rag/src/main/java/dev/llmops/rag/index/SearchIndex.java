package dev.llmops.rag.index;

import dev.llmops.core.retrieval.RetrievalQuery;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.core.retrieval.Retriever;
import dev.llmops.rag.internal.IndexEngine;
import dev.llmops.rag.internal.LuceneStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The searching side of an index: searches, snapshots, document ids. A {@link DocumentIndex} is one, and adds
 * ingestion and rollback. {@link #luceneReadOnly(Path, IndexSettings)} opens a Lucene index that another
 * process writes (an indexing job, {@code llmops index}) for searching only: any number of processes may do so
 * while one writes, and they see each snapshot the writer commits within a second.
 *
 * <p>Thread-safe: searches run concurrently; {@link #close()} waits for searches already running.
 */
public interface SearchIndex extends Retriever, AutoCloseable {

  /**
   * Opens the Lucene index in {@code directory} for searching only. It takes no lock, so a writer (a
   * {@link DocumentIndex#lucene(Path, IndexSettings)} in this or another process) can keep ingesting; the
   * current snapshot is looked up again at most once a second of the settings' clock. Snapshots the writer stops
   * retaining disappear from this view too (a search already reading one finishes).
   *
   * @param directory an existing index directory
   * @param settings the same embedding model and analysis the index was built with
   * @return the read-only index
   * @throws dev.llmops.core.NotFoundException if the directory holds no index
   * @throws dev.llmops.core.ConflictException if the index was built with another model or analysis
   */
  static SearchIndex luceneReadOnly(Path directory, IndexSettings settings) {
    IndexEngine engine = new IndexEngine(LuceneStore.openReadOnly(directory, settings), settings);
    return engine.readOnly();
  }

  /**
   * Searches the current or pinned snapshot.
   *
   * @param request the query and the search choices
   * @return at most {@code topK} chunks the caller may see, best first
   * @throws dev.llmops.core.NotFoundException if the pinned snapshot does not exist or is no longer retained
   * @throws dev.llmops.core.InvalidRequestException for a dense or hybrid search on an index without an
   *     embedding model, or (Lucene index) a query with more distinct terms after analysis than BM25 there takes,
   *     about a thousand
   */
  List<RetrievedChunk> search(SearchRequest request);

  /** Searches with the index's default mode, fusion and re-ranking. */
  @Override
  default List<RetrievedChunk> retrieve(RetrievalQuery query) {
    return search(SearchRequest.of(query));
  }

  /** The current snapshot, empty before the first ingestion. */
  Optional<Snapshot> currentSnapshot();

  /** The retained snapshots, newest first. */
  List<Snapshot> snapshots();

  /** The ids of the documents in the current snapshot, in no particular order. */
  List<String> documentIds();

  /** Releases the index; searches after it fail with an {@link IllegalStateException}. */
  @Override
  void close();
}
