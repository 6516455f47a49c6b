package dev.llmops.rag.internal;

import dev.llmops.core.ConflictException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.MalformedResponseException;
import dev.llmops.core.PolicyViolationException;
import dev.llmops.core.TextSpan;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.retrieval.Citation;
import dev.llmops.core.retrieval.RetrievalQuery;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.core.scoring.ScoringModel;
import dev.llmops.rag.chunk.Chunk;
import dev.llmops.rag.document.Document;
import dev.llmops.rag.document.DocumentFailure;
import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.Fusion;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.IngestListener;
import dev.llmops.rag.index.IngestReport;
import dev.llmops.rag.index.SearchMode;
import dev.llmops.rag.index.SearchIndex;
import dev.llmops.rag.index.SearchRequest;
import dev.llmops.rag.index.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of every {@link DocumentIndex} that does not depend on where chunks are stored: planning an
 * ingestion by content hash, chunking and embedding only what changed, isolating bad documents, fusing the
 * BM25 and dense lists, re-ranking, grouping by document and building citations. Stores do the storage and the
 * two raw searches.
 */
public final class IndexEngine implements DocumentIndex {

  private static final Logger LOG = LoggerFactory.getLogger(IndexEngine.class);
  private static final String MODEL = "model";
  private static final String DIMENSION = "dimension";
  private static final String ANALYSIS = "analysis";
  private static final String CHUNKER = "chunker";

  private final IndexStore store;
  private final IndexSettings settings;
  private final @Nullable EmbeddingModel model;
  private final String processing;
  private final ReentrantLock ingestion = new ReentrantLock();
  /** Searches hold the read side; close takes the write side, so it waits for searches already running. */
  private final java.util.concurrent.locks.ReentrantReadWriteLock lifecycle =
      new java.util.concurrent.locks.ReentrantReadWriteLock();
  private volatile boolean closed;
  private volatile int dimension;
  private final Map<SearchMode, Timer> searchTimers = new EnumMap<>(SearchMode.class);
  private final Map<String, Counter> documentCounters = new HashMap<>();
  private final Timer embeddingTimer;

  /**
   * Opens an engine over a store, checking that the store was built with the same model and analysis.
   *
   * @throws ConflictException if it was not (the store is closed)
   */
  public IndexEngine(IndexStore store, IndexSettings settings) {
    this.store = store;
    this.settings = settings;
    this.model = settings.embeddingModel();
    String modelId = model == null ? "none" : model.modelId();
    this.processing = "model=" + modelId + " chunker=" + settings.chunker().fingerprint();
    try {
      Map<String, String> props = store.properties();
      if (!props.isEmpty()) {
        String builtWith = props.getOrDefault(MODEL, "none");
        String analysis = props.getOrDefault(ANALYSIS, "");
        if (!builtWith.equals(modelId) || !analysis.equals(settings.analysis().name())) {
          throw new ConflictException("the index was built with embedding model '" + builtWith + "' and analysis "
              + analysis + " but is opened with '" + modelId + "' and " + settings.analysis().name()
              + "; open it with the same settings, or build a new index for the new model");
        }
        String recorded = props.getOrDefault(DIMENSION, "0");
        try {
          this.dimension = Integer.parseInt(recorded);
        } catch (NumberFormatException e) {
          throw new dev.llmops.core.CorruptDataException("the index records a vector dimension of '" + recorded
              + "', which is not a number", e);
        }
      }
    } catch (RuntimeException e) {
      store.close(); // the caller never gets this engine to close; release the store's files and lock
      throw e;
    }
    MeterRegistry meters = settings.meterRegistry();
    for (SearchMode mode : SearchMode.values()) {
      searchTimers.put(mode, Timer.builder("llmops.rag.search").description("Index searches")
          .tag("mode", mode.name().toLowerCase(java.util.Locale.ROOT)).register(meters));
    }
    for (String outcome : List.of("added", "updated", "unchanged", "deleted", "failed")) {
      documentCounters.put(outcome, Counter.builder("llmops.rag.ingest.documents")
          .description("Documents by what an ingestion did with them").tag("outcome", outcome).register(meters));
    }
    embeddingTimer = Timer.builder("llmops.rag.ingest.embedding").description("Embedding calls of ingestions")
        .register(meters);
  }

  // ---- ingestion -------------------------------------------------------------------------------------------

  @Override
  public IngestReport upsert(Iterable<Document> documents, IngestListener listener) {
    return ingest(documents, listener, null, List.of());
  }

  @Override
  public IngestReport refresh(Iterable<Document> documents, Supplier<? extends Collection<String>> keep,
      IngestListener listener) {
    return ingest(documents, listener, keep, List.of());
  }

  @Override
  public IngestReport delete(Collection<String> documentIds) {
    return ingest(List.of(), IngestListener.NONE, null, documentIds);
  }

  /** One document on its way in: chunked, waiting for its vectors. */
  private record Pending(Document document, String hash, List<Chunk> chunks, boolean isNew) {}

  private final class Run {
    final long started = System.nanoTime();
    final Map<String, String> head;
    final boolean resumed;
    /** For a resumed run, the current snapshot's hashes; else {@code null} (the head is the snapshot). */
    final @Nullable Map<String, String> published;
    final IndexStore.Writer writer;
    final IngestListener listener;
    final Set<String> seen = new HashSet<>();
    final List<DocumentFailure> failures = new ArrayList<>();
    final List<Pending> pending = new ArrayList<>();
    int pendingChunks;
    int looked;
    int added;
    int updated;
    int unchanged;
    int deleted;
    int chunksEmbedded;
    int sinceCheckpoint;
    long embeddingNanos;

    Run(IngestListener listener) {
      this.listener = listener;
      this.resumed = store.hasUnpublishedWork();
      this.head = store.headHashes();
      // A resumed run takes the crashed run's checkpointed documents as they are; the report still counts them
      // against the published snapshot, as added or updated.
      Map<String, String> current = null;
      if (resumed) {
        Optional<IndexStore.View> view = store.view(null);
        current = Map.of();
        if (view.isPresent()) {
          try (IndexStore.View v = view.get()) {
            current = v.documentHashes();
          }
        }
      }
      this.published = current;
      this.writer = store.writer();
    }

    boolean changed() {
      return added + updated + deleted > 0;
    }
  }

  /**
   * Runs one ingestion. {@code keep} is null for an upsert; for a refresh it gives the ids not to delete besides
   * those seen.
   */
  private IngestReport ingest(Iterable<Document> documents, IngestListener listener,
      @Nullable Supplier<? extends Collection<String>> keep, Collection<String> deletions) {
    ingestion.lock();
    try {
      ensureOpen();
      Run run = new Run(listener);
      if (run.resumed) {
        LOG.info("resuming from the checkpoint of an ingestion that did not finish ({} documents already in)",
            run.head.size());
      }
      try {
        for (Document doc : documents) {
          ensureOpen();
          take(run, doc);
          if (run.pendingChunks >= settings.embeddingBatchSize() * 4) {
            flush(run);
          }
        }
        flush(run);
        Set<String> toDelete = new HashSet<>(deletions);
        if (keep != null) {
          Set<String> kept = new HashSet<>(keep.get());
          for (String id : run.head.keySet()) {
            if (!run.seen.contains(id) && !kept.contains(id)) {
              toDelete.add(id);
            }
          }
        }
        for (String id : toDelete) {
          if (run.head.containsKey(id)) {
            run.writer.delete(id);
            run.deleted++;
          }
        }
        String snapshotId;
        boolean committed = run.changed() || store.hasUnpublishedWork();
        if (committed) {
          snapshotId = run.writer.commit(properties()).id();
        } else {
          run.writer.abort();
          snapshotId = store.current().map(Snapshot::id).orElse(null);
        }
        count(run);
        IngestReport report = new IngestReport(snapshotId, committed, run.added, run.updated, run.unchanged,
            run.deleted, run.failures, run.chunksEmbedded, Duration.ofNanos(run.embeddingNanos),
            Duration.ofNanos(System.nanoTime() - run.started));
        LOG.info("ingestion: {}", report);
        return report;
      } catch (RuntimeException | Error e) {
        try {
          run.writer.abort();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } finally {
      ingestion.unlock();
    }
  }

  private void count(Run run) {
    documentCounters.get("added").increment(run.added);
    documentCounters.get("updated").increment(run.updated);
    documentCounters.get("unchanged").increment(run.unchanged);
    documentCounters.get("deleted").increment(run.deleted);
    documentCounters.get("failed").increment(run.failures.size());
  }

  private Map<String, String> properties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(MODEL, model == null ? "none" : model.modelId());
    props.put(DIMENSION, Integer.toString(dimension));
    props.put(ANALYSIS, settings.analysis().name());
    props.put(CHUNKER, settings.chunker().fingerprint());
    return props;
  }

  /** Validates, hashes and chunks one document, or records why it fails or is skipped. */
  private void take(Run run, Document doc) {
    run.looked++;
    String id = doc.id();
    if (!run.seen.add(id)) {
      fail(run, doc, "document id " + id + " appears more than once in this ingestion; the first one was taken");
      return;
    }
    if (doc.text().isBlank()) {
      fail(run, doc, "document " + id + " has no text");
      return;
    }
    if (doc.text().length() > settings.maxDocumentChars()) {
      fail(run, doc, "document " + id + " has " + doc.text().length() + " characters, more than the limit of "
          + settings.maxDocumentChars() + " (IndexSettings.maxDocumentChars)");
      return;
    }
    String hash = ContentHash.of(doc, processing);
    String old = run.head.get(id);
    if (hash.equals(old)) {
      if (run.published != null && !hash.equals(run.published.get(id))) {
        if (run.published.containsKey(id)) {
          run.updated++;
        } else {
          run.added++;
        }
      } else {
        run.unchanged++;
      }
      progress(run);
      return;
    }
    List<Chunk> chunks;
    try {
      chunks = settings.chunker().chunk(doc);
    } catch (RuntimeException e) {
      fail(run, doc, "document " + id + " could not be chunked: " + e.getMessage());
      return;
    }
    if (chunks.isEmpty()) {
      fail(run, doc, "document " + id + " gave no chunks (its text is only white space)");
      return;
    }
    run.pending.add(new Pending(doc, hash, chunks, old == null));
    run.pendingChunks += chunks.size();
  }

  private void fail(Run run, Document doc, String reason) {
    run.failures.add(new DocumentFailure(doc.id(), doc.source(), reason));
    progress(run);
  }

  private void progress(Run run) {
    run.listener.progress(run.looked, run.chunksEmbedded, run.failures.size());
  }

  /** Embeds the pending chunks, writes the documents that embedded, and checkpoints when due. */
  private void flush(Run run) {
    if (run.pending.isEmpty()) {
      return;
    }
    Map<Pending, float[][]> vectors = embed(run);
    for (Pending p : run.pending) {
      float[][] v = vectors.get(p);
      if (model != null && v == null) {
        continue; // failed, already recorded
      }
      List<StoredChunk> stored = new ArrayList<>(p.chunks.size());
      for (int i = 0; i < p.chunks.size(); i++) {
        Chunk c = p.chunks.get(i);
        Document d = p.document;
        stored.add(new StoredChunk(d.id(), c.ordinal(), c.text(), c.span().start(), c.span().end(), c.page(),
            d.title(), d.source(), d.metadata(), d.access(), v == null ? null : v[i]));
      }
      try {
        run.writer.put(p.document.id(), p.hash, stored);
      } catch (InvalidRequestException e) {
        fail(run, p.document, e.getMessage());
        continue;
      }
      if (p.isNew) {
        run.added++;
      } else {
        run.updated++;
      }
      run.sinceCheckpoint++;
    }
    run.pending.clear();
    run.pendingChunks = 0;
    if (run.sinceCheckpoint >= settings.checkpointEvery()) {
      run.writer.checkpoint(properties());
      run.sinceCheckpoint = 0;
    }
    progress(run);
  }

  /**
   * The unit vectors of every pending document's chunks. A batch the model refuses as invalid (or answers
   * malformed, or blocks by policy) is retried one document at a time so that only the offending documents fail;
   * every other error (retriable ones, and those about the model or the account rather than a text: credentials,
   * quota, cancellation, a dimension that conflicts with the index) ends the ingestion.
   */
  private Map<Pending, float[][]> embed(Run run) {
    Map<Pending, float[][]> out = new HashMap<>();
    if (model == null) {
      return out;
    }
    List<Pending> batch = new ArrayList<>();
    int chunks = 0;
    for (Pending p : run.pending) {
      if (chunks + p.chunks.size() > settings.embeddingBatchSize() && !batch.isEmpty()) {
        embedBatch(run, batch, out);
        batch.clear();
        chunks = 0;
      }
      batch.add(p);
      chunks += p.chunks.size();
    }
    embedBatch(run, batch, out);
    return out;
  }

  private void embedBatch(Run run, List<Pending> batch, Map<Pending, float[][]> out) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      List<float[]> vectors = embedTexts(run, batch.stream().flatMap(p -> p.chunks.stream())
          .map(Chunk::embeddingText).toList());
      int next = 0;
      for (Pending p : batch) {
        float[][] v = new float[p.chunks.size()][];
        for (int i = 0; i < v.length; i++) {
          v[i] = vectors.get(next++);
        }
        out.put(p, v);
      }
    } catch (InvalidRequestException | MalformedResponseException | PolicyViolationException e) {
      if (batch.size() == 1) {
        fail(run, batch.get(0).document, "document " + batch.get(0).document.id() + " could not be embedded: "
            + e.getMessage());
        return;
      }
      for (Pending p : batch) {
        embedBatch(run, List.of(p), out);
      }
    }
  }

  private List<float[]> embedTexts(Run run, List<String> texts) {
    long t0 = System.nanoTime();
    EmbeddingResult result = embeddingTimer.record(() -> model.embedAll(texts));
    run.embeddingNanos += System.nanoTime() - t0;
    if (result.size() != texts.size()) {
      throw new MalformedResponseException("embedding model " + model.modelId() + " returned "
          + result.size() + " vectors for " + texts.size() + " texts");
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      float[] v = Analysis.unit(result.get(i).vector(), "a chunk");
      checkDimension(v.length);
      vectors.add(v);
    }
    run.chunksEmbedded += texts.size();
    return vectors;
  }

  private void checkDimension(int length) {
    if (dimension == 0) {
      dimension = length;
    } else if (dimension != length) {
      throw new ConflictException("embedding model " + model.modelId() + " returned " + length
          + " dimensions but the index holds vectors of " + dimension);
    }
  }

  // ---- search ----------------------------------------------------------------------------------------------

  @Override
  public List<RetrievedChunk> search(SearchRequest request) {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      return searchOpen(request);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private List<RetrievedChunk> searchOpen(SearchRequest request) {
    RetrievalQuery query = request.query();
    SearchMode mode = request.mode() != null ? request.mode() : settings.defaultMode();
    if (mode != SearchMode.BM25 && model == null) {
      throw new InvalidRequestException(mode + " search needs an embedding model, and this index has none");
    }
    ScoringModel reranker = settings.reranker();
    if (Boolean.TRUE.equals(request.rerank()) && reranker == null) {
      throw new InvalidRequestException("re-ranking was asked for but the index has no re-ranking model");
    }
    boolean rerank = reranker != null && !Boolean.FALSE.equals(request.rerank());
    Fusion fusion = request.fusion() != null ? request.fusion() : settings.fusion();
    int candidates = Math.max(request.candidates() > 0 ? request.candidates() : settings.candidates(), query.topK());
    if (request.onePerDocument()) {
      candidates = (int) Math.max(candidates, Math.min(Integer.MAX_VALUE, 3L * query.topK()));
    }
    long t0 = System.nanoTime();
    float[] vector = mode == SearchMode.BM25 ? null : queryVector(query.text());
    Scope scope = Scope.of(query);
    Optional<IndexStore.View> maybe = store.view(query.snapshotId());
    if (maybe.isEmpty()) {
      return List.of();
    }
    try (IndexStore.View view = maybe.get()) {
      // No list is longer than the snapshot: a topK or candidates meant as "all" must not size the stores' buffers.
      int all = Math.max(1, view.snapshot().chunks());
      int n = Math.min(candidates, all);
      List<Hit> ranked;
      while (true) {
        List<Hit> lexical = mode == SearchMode.DENSE ? List.of() : view.lexical(query.text(), n, scope);
        List<Hit> dense = mode == SearchMode.BM25 ? List.of() : view.dense(vector, n, scope);
        ranked = switch (mode) {
          case BM25 -> lexical;
          case DENSE -> dense;
          case HYBRID -> fuse(lexical, dense, fusion);
        };
        // One chunk per document: when the candidates crowd into fewer than topK documents and a list was cut
        // short by n, look deeper rather than return fewer documents than there are.
        boolean cut = lexical.size() == n || dense.size() == n;
        if (!request.onePerDocument() || !cut || n >= all
            || distinctDocuments(ranked, query.topK(), view) >= query.topK()) {
          break;
        }
        n = (int) Math.min(all, 4L * n);
      }
      if (rerank) {
        int depth = Math.max(settings.rerankDepth(), query.topK());
        if (request.onePerDocument()) {
          // topK counts documents, so the depth does too: the first `depth` chunks may all be of one long document.
          ranked = bestPerDocument(ranked, depth, view);
        }
        ranked = rerank(reranker, query.text(), ranked, depth, view);
      }
      List<RetrievedChunk> out = new ArrayList<>(Math.min(query.topK(), ranked.size()));
      Set<String> documents = new HashSet<>();
      for (Hit h : ranked) {
        if (out.size() == query.topK()) {
          break;
        }
        if (request.onePerDocument() && !documents.add(view.documentId(h.ref()))) {
          continue;
        }
        out.add(toRetrieved(view.chunk(h.ref()), h.score(), view.snapshot().id()));
      }
      return out;
    } finally {
      searchTimers.get(mode).record(Duration.ofNanos(System.nanoTime() - t0));
    }
  }

  private static int distinctDocuments(List<Hit> ranked, int enough, IndexStore.View view) {
    Set<String> documents = new HashSet<>();
    for (Hit h : ranked) {
      if (documents.add(view.documentId(h.ref())) && documents.size() >= enough) {
        break;
      }
    }
    return documents.size();
  }

  private float[] queryVector(String text) {
    float[] v = Analysis.unit(model.embed(text).vector(), "the query");
    if (dimension != 0 && v.length != dimension) {
      throw new ConflictException("the query embedding has " + v.length + " dimensions but the index holds vectors of "
          + dimension + "; search with the model the index was built with");
    }
    return v;
  }

  /** Best score first; ties in the order the store found them (its references ascend with its own order). */
  private static final Comparator<Hit> BEST_FIRST = Comparator.comparingDouble(Hit::score).reversed()
      .thenComparingInt(Hit::ref);

  /**
   * Fuses two candidate lists of one view. Scores are computed from the lists alone (ranks, or min-max normalised
   * scores), so stores that return the same candidates fuse them the same way, up to the order of exact ties.
   */
  static List<Hit> fuse(List<Hit> lexical, List<Hit> dense, Fusion fusion) {
    Map<Integer, Double> scores = new HashMap<>();
    if (fusion instanceof Fusion.ReciprocalRank rrf) {
      addReciprocalRanks(lexical, rrf.k(), scores);
      addReciprocalRanks(dense, rrf.k(), scores);
    } else if (fusion instanceof Fusion.Convex convex) {
      addNormalised(lexical, 1 - convex.denseWeight(), scores);
      addNormalised(dense, convex.denseWeight(), scores);
    }
    List<Hit> fused = new ArrayList<>(scores.size());
    scores.forEach((ref, s) -> fused.add(new Hit(ref, s)));
    fused.sort(BEST_FIRST);
    return fused;
  }

  private static void addReciprocalRanks(List<Hit> hits, int k, Map<Integer, Double> scores) {
    List<Hit> ordered = new ArrayList<>(hits);
    ordered.sort(BEST_FIRST);
    for (int rank = 1; rank <= ordered.size(); rank++) {
      scores.merge(ordered.get(rank - 1).ref(), 1.0 / (k + rank), Double::sum);
    }
  }

  private static void addNormalised(List<Hit> hits, double weight, Map<Integer, Double> scores) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Hit h : hits) {
      min = Math.min(min, h.score());
      max = Math.max(max, h.score());
    }
    for (Hit h : hits) {
      double normalised = max > min ? (h.score() - min) / (max - min) : 1.0;
      scores.merge(h.ref(), weight * normalised, Double::sum);
    }
  }

  /** The first hit of each document, in order, for at most {@code limit} documents. */
  private static List<Hit> bestPerDocument(List<Hit> ranked, int limit, IndexStore.View view) {
    List<Hit> out = new ArrayList<>(Math.min(limit, ranked.size()));
    Set<String> documents = new HashSet<>();
    for (Hit h : ranked) {
      if (out.size() == limit) {
        break;
      }
      if (documents.add(view.documentId(h.ref()))) {
        out.add(h);
      }
    }
    return out;
  }

  private static List<Hit> rerank(ScoringModel reranker, String query, List<Hit> ranked, int depth,
      IndexStore.View view) {
    List<Hit> head = ranked.subList(0, Math.min(depth, ranked.size()));
    if (head.isEmpty()) {
      return ranked;
    }
    List<Double> scores = reranker.score(query, head.stream().map(h -> view.chunk(h.ref()).text()).toList());
    if (scores.size() != head.size()) {
      throw new MalformedResponseException("re-ranking model " + reranker.modelId() + " returned "
          + scores.size() + " scores for " + head.size() + " passages");
    }
    List<Hit> out = new ArrayList<>(head.size());
    for (int i = 0; i < head.size(); i++) {
      Double score = scores.get(i);
      if (score == null || score.isNaN()) { // NaN compares above every number: it would rank first
        throw new MalformedResponseException("re-ranking model " + reranker.modelId() + " returned " + score
            + " as the score of passage " + i + " of " + head.size());
      }
      out.add(new Hit(head.get(i).ref(), score));
    }
    out.sort(BEST_FIRST);
    return out;
  }

  private static RetrievedChunk toRetrieved(StoredChunk c, double score, String snapshotId) {
    Citation citation = new Citation(c.documentId(), c.title(), c.source(), c.page(), new TextSpan(c.start(), c.end()),
        snapshotId);
    return new RetrievedChunk(c.chunkId(), c.text(), score, citation, c.metadata());
  }

  // ---- snapshots and lifecycle -----------------------------------------------------------------------------

  @Override
  public Optional<Snapshot> currentSnapshot() {
    ensureOpen();
    return store.current();
  }

  @Override
  public List<Snapshot> snapshots() {
    ensureOpen();
    return store.snapshots();
  }

  @Override
  public Snapshot rollback(String snapshotId) {
    ingestion.lock();
    try {
      ensureOpen();
      Snapshot s = store.rollback(snapshotId);
      LOG.info("rolled back to snapshot {}", snapshotId);
      return s;
    } finally {
      ingestion.unlock();
    }
  }

  @Override
  public List<String> documentIds() {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      return currentDocumentIds();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private List<String> currentDocumentIds() {
    Optional<IndexStore.View> view = store.view(null);
    if (view.isEmpty()) {
      return List.of();
    }
    try (IndexStore.View v = view.get()) {
      return v.documentIds();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the index is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    ingestion.lock(); // a running ingestion stops at its next document and aborts to its last checkpoint
    try {
      lifecycle.writeLock().lock(); // searches already running finish first
      try {
        store.close();
      } finally {
        lifecycle.writeLock().unlock();
      }
    } finally {
      ingestion.unlock();
    }
  }

  /** This engine seen through the searching side only, for a store opened read-only. */
  public SearchIndex readOnly() {
    IndexEngine engine = this;
    return new SearchIndex() {
      @Override
      public List<RetrievedChunk> search(SearchRequest request) {
        return engine.search(request);
      }

      @Override
      public Optional<Snapshot> currentSnapshot() {
        return engine.currentSnapshot();
      }

      @Override
      public List<Snapshot> snapshots() {
        return engine.snapshots();
      }

      @Override
      public List<String> documentIds() {
        return engine.documentIds();
      }

      @Override
      public void close() {
        engine.close();
      }

      @Override
      public String toString() {
        return "SearchIndex[read-only, " + processing + "]";
      }
    };
  }

  @Override
  public String toString() {
    return "DocumentIndex[" + store.getClass().getSimpleName() + ", " + processing + "]";
  }
}
