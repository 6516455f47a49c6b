package dev.llmops.rag.index;

import dev.llmops.rag.document.Document;
import dev.llmops.rag.internal.InMemoryStore;
import dev.llmops.rag.internal.IndexEngine;
import dev.llmops.rag.internal.LuceneStore;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A searchable collection of chunked, embedded documents with snapshots, incremental refresh and access
 * control. The entry point of retrieval: {@link #lucene(Path, IndexSettings)} for the embedded on-disk
 * index, {@link #inMemory(IndexSettings)} for small corpora and tests; the {@code llmops-rag-solr} module opens the
 * same interface on SolrCloud ({@code SolrCloud.openIndex}). All pass the same contract tests.
 *
 * <p><b>Snapshots.</b> Every ingestion that changes something commits a new immutable {@link Snapshot};
 * searches read the current one unless the query pins another; {@link #rollback(String)} makes an earlier
 * one current; the last {@link IndexSettings#retainSnapshots()} are kept. Searches never see an ingestion
 * in progress.
 *
 * <p><b>Refresh.</b> Each document is stored with a hash of its content and of the chunker and model that
 * processed it: an unchanged document is skipped without being chunked or embedded, a changed one has its
 * chunks replaced, and {@link #refresh} deletes the documents it was not given.
 *
 * <p><b>Access.</b> Searches see only documents whose {@link dev.llmops.rag.document.AccessControl} admits
 * the query's tenant and groups; the filter is part of the index query in every mode.
 *
 * <p>Thread-safe: searches run concurrently with each other and with one ingestion at a time (ingestions
 * are serialised). {@link #close()} waits for running searches and a running ingestion's current document, and
 * releases files. A Lucene index directory has one writer; other processes search it through
 * {@link SearchIndex#luceneReadOnly(Path, IndexSettings)}.
 */
public interface DocumentIndex extends SearchIndex {

  /**
   * Opens the Lucene index in {@code directory}, creating it if the directory is empty or missing. A run that
   * crashed mid-ingestion left the current snapshot intact; the next ingestion resumes from its last
   * checkpoint.
   *
   * @param directory the index directory, used by one process at a time
   * @param settings the settings; an existing index must be opened with the same embedding model and analysis
   * @return the open index
   * @throws dev.llmops.core.ConflictException if another process holds the index, or it was built with another
   *     embedding model, vector dimension or analysis
   * @throws dev.llmops.core.CorruptDataException if the directory holds something that is not a readable index
   */
  static DocumentIndex lucene(Path directory, IndexSettings settings) {
    return new IndexEngine(LuceneStore.open(directory, settings), settings);
  }

  /**
   * A new index held in memory, with exact (brute-force) vector search and BM25. For corpora up to some
   * tens of thousands of chunks, and for tests.
   */
  static DocumentIndex inMemory(IndexSettings settings) {
    return new IndexEngine(new InMemoryStore(settings), settings);
  }

  /**
   * Adds new documents and replaces changed ones; documents of the index that are not given stay. Commits one
   * snapshot if anything changed. Bad documents (empty, too long, duplicate ids within the call) fail alone
   * and are listed in the report.
   *
   * @param documents the documents, read once in order
   * @return what changed
   */
  default IngestReport upsert(Iterable<Document> documents) {
    return upsert(documents, IngestListener.NONE);
  }

  /** {@link #upsert(Iterable)} with a progress listener. */
  IngestReport upsert(Iterable<Document> documents, IngestListener listener);

  /**
   * Makes the index hold exactly {@code documents}: adds, replaces changed ones, skips unchanged ones and
   * deletes every document not given (a document that fails is not deleted: its previous version stays).
   * Commits one snapshot if anything changed. What a scheduler or a file watcher calls.
   *
   * @param documents the whole corpus, read once in order
   * @return what changed
   */
  default IngestReport refresh(Iterable<Document> documents) {
    return refresh(documents, IngestListener.NONE);
  }

  /** {@link #refresh(Iterable)} with a progress listener. */
  default IngestReport refresh(Iterable<Document> documents, IngestListener listener) {
    return refresh(documents, Set::of, listener);
  }

  /**
   * {@link #refresh(Iterable)} that also keeps the documents a loader could not read this time, so that a file
   * that fails to load does not take its indexed version with it.
   *
   * @param documents the whole corpus, read once in order
   * @param keep ids not to delete although they were not given; asked for after {@code documents} was read, so a
   *     streaming loader's failures (such as {@code JsonLinesCorpus.failures()}) count
   * @param listener hears the progress
   * @return what changed
   */
  IngestReport refresh(Iterable<Document> documents, Supplier<? extends Collection<String>> keep,
      IngestListener listener);

  /**
   * Deletes documents by id (unknown ids are ignored) and commits a snapshot if any was there.
   *
   * @return what changed
   */
  IngestReport delete(Collection<String> documentIds);

  /**
   * Makes an earlier retained snapshot current again. The snapshots after it stay retained (a roll forward
   * is another rollback) until they age out; the next ingestion builds on the rolled-back content.
   *
   * @param snapshotId the snapshot to make current
   * @return the now current snapshot
   * @throws dev.llmops.core.NotFoundException if it is not retained
   */
  Snapshot rollback(String snapshotId);

  /** Releases the index; searches and ingestions after it fail with an {@link IllegalStateException}. */
  @Override
  void close();
}
