package dev.llmops.benchmarks;

import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.InputHandling;
import dev.llmops.core.embedding.TokenCounter;
import dev.llmops.core.retrieval.RetrievalQuery;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.rag.chunk.RecursiveChunker;
import dev.llmops.rag.document.Document;
import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.IngestReport;
import dev.llmops.rag.index.SearchMode;
import dev.llmops.rag.index.SearchRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * llmops' own {@link DocumentIndex} in the vector-search comparison, through its public API only: the vectors go in
 * as documents through {@link DocumentIndex#upsert} and come back through {@link DocumentIndex#search} in
 * {@link SearchMode#DENSE}, so what is measured is what a user of the index gets, chunking, hashing, the BM25 field,
 * stored fields and the snapshot commit included.
 *
 * <p>Vector {@code i} is the document with id {@code "i"} and text {@code "v<i>"} (one token: one chunk, and next to
 * nothing for BM25 to index). The index's embedding model is {@link PrecomputedVectors}, which answers
 * {@code "v<i>"} with base vector {@code i} and a query's key {@code "q<n>"} with the query vector being searched,
 * so no model runs. A hit maps back to its vector by {@code citation().documentId()}.
 *
 * <ul>
 *   <li>{@link Kind#LUCENE_HNSW}: {@link DocumentIndex#lucene} in a new directory under the index root, HNSW with the
 *       given degree and construction beam, float vectors; the search keeps {@code candidates} nearest candidates.
 *   <li>{@link Kind#LUCENE_HNSW_INT8}: the same with {@code quantizeVectors(true)} (int8 scalar quantization).
 *   <li>{@link Kind#IN_MEMORY_EXACT}: {@link DocumentIndex#inMemory}, exact search over every chunk. It holds each
 *       chunk as an object with its own copy of the vector; it declines a size whose estimate does not fit the heap
 *       left.
 * </ul>
 *
 * <p>Build time is the whole ingestion (HNSW graph, merges and the commit included) and the first search, which
 * opens the snapshot's reader (Lucene) or builds its search structures (in memory). Not thread-safe.
 */
final class LlmopsIndexSearch implements VectorSearchSubject {

  /** Which index. */
  enum Kind {
    LUCENE_HNSW("llmops-lucene-hnsw"),
    LUCENE_HNSW_INT8("llmops-lucene-hnsw-int8"),
    IN_MEMORY_EXACT("llmops-inmemory-exact");

    final String library;

    Kind(String library) {
      this.library = library;
    }

    boolean lucene() {
      return this != IN_MEMORY_EXACT;
    }
  }

  /**
   * Heap an in-memory index takes per vector beyond its own copy of the float array, rounded up: at 100,000
   * 384-dimension vectors it held 2,172 bytes per vector, 1,552 of them the copy, the rest the chunk record, its
   * strings and hash, the snapshot's maps and the BM25 postings of its one term.
   */
  static final long IN_MEMORY_OVERHEAD_BYTES = 700;

  private final Kind kind;
  private final Path root;
  private final int maxConnections;
  private final int beamWidth;
  private final int defaultCandidates;
  private final PrecomputedVectors model = new PrecomputedVectors();
  private @Nullable DocumentIndex index;
  private @Nullable Path directory;
  private @Nullable IngestReport ingestion;
  private long queries;
  private long heapBefore = -1;

  /**
   * @param root where a Lucene index gets its directory (created, and deleted on {@link #close()})
   * @param maxConnections HNSW degree ({@code IndexSettings.hnsw})
   * @param beamWidth HNSW construction beam width
   * @param defaultCandidates the candidates of {@link #search(float[], int)}
   */
  LlmopsIndexSearch(Kind kind, Path root, int maxConnections, int beamWidth, int defaultCandidates) {
    this.kind = kind;
    this.root = root;
    this.maxConnections = maxConnections;
    this.beamWidth = beamWidth;
    this.defaultCandidates = defaultCandidates;
  }

  @Override
  public String name() {
    return kind.library;
  }

  @Override
  public boolean tunesCandidates() {
    return kind.lucene();
  }

  @Override
  public Optional<String> declines(int count, int dimension) {
    if (kind.lucene()) {
      return Optional.empty();
    }
    long needed = count * (VectorSet.heapBytes(1, dimension) + IN_MEMORY_OVERHEAD_BYTES);
    heapBefore = usedHeap();
    long free = Runtime.getRuntime().maxMemory() - heapBefore;
    // Room for the ingestion's transient objects and a young generation besides the estimate.
    if (free < needed * 3 / 2) {
      return Optional.of(String.format(Locale.ROOT, "needs about %,d MiB of heap for %,d vectors (chunk objects "
          + "with their own vector copies), %,d MiB are free", needed >> 20, count, free >> 20));
    }
    return Optional.empty();
  }

  /** Heap in use after a full collection (a benchmark's estimate; System.gc() is a request). */
  private static long usedHeap() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  @Override
  public void build(VectorSet base) throws IOException {
    if (index != null) {
      throw new IllegalStateException(name() + " was already built");
    }
    model.base = base;
    IndexSettings settings = IndexSettings.builder()
        .embeddingModel(model)
        // "v<i>" is one token: every document is one chunk.
        .chunker(RecursiveChunker.of(TokenCounter.approximate(16)))
        .defaultMode(SearchMode.DENSE)
        .candidates(defaultCandidates)
        .embeddingBatchSize(1024)
        // No intermediate durable commits: one ingestion, one snapshot.
        .checkpointEvery(Integer.MAX_VALUE)
        .retainSnapshots(1)
        .hnsw(maxConnections, beamWidth)
        .quantizeVectors(kind == Kind.LUCENE_HNSW_INT8)
        .build();
    if (kind.lucene()) {
      Files.createDirectories(root);
      directory = Files.createTempDirectory(root, "llmops-vector-search-");
      index = DocumentIndex.lucene(directory, settings);
    } else {
      index = DocumentIndex.inMemory(settings);
    }
    Iterable<Document> documents = () -> IntStream.range(0, base.size())
        .mapToObj(i -> Document.of(Integer.toString(i), "v" + i)).iterator();
    IngestReport report = index.upsert(documents);
    if (report.added() != base.size() || report.failed() > 0) {
      throw new IllegalStateException(name() + " indexed " + report.added() + " of " + base.size() + " vectors; "
          + (report.failures().isEmpty() ? "" : "first failure: " + report.failures().get(0)));
    }
    ingestion = report;
    search(base.get(0), 1); // opens the snapshot (Lucene reader, in-memory search structures)
  }

  /** The ingestion of {@link #build}, or null before it. */
  @Nullable IngestReport ingestion() {
    return ingestion;
  }

  /**
   * What was built, for the report's notes: the ingestion's time split and, for Lucene, the index directory's size
   * and how many segments (each its own HNSW graph, searched one after the other) the ingestion left.
   */
  String describe() throws IOException {
    StringBuilder d = new StringBuilder(name());
    IngestReport report = ingestion;
    if (report != null) {
      d.append(String.format(Locale.ROOT, " at %,d: ingestion %.1f s (embedding lookups %.1f s)", report.added(),
          report.totalTime().toMillis() / 1e3, report.embeddingTime().toMillis() / 1e3));
    }
    if (kind.lucene()) {
      d.append(String.format(Locale.ROOT, ", HNSW degree %d, construction beam %d", maxConnections, beamWidth));
    } else if (heapBefore >= 0 && report != null && report.added() > 0) {
      long held = usedHeap() - heapBefore;
      d.append(String.format(Locale.ROOT, "; holds about %,d MiB of heap, %,d bytes per vector", held >> 20,
          held / report.added()));
    }
    if (directory != null) {
      long bytes = 0;
      int segments = 0;
      try (Stream<Path> files = Files.list(directory)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          bytes += Files.size(p);
          if (p.getFileName().toString().endsWith(".si")) {
            segments++;
          }
        }
      }
      d.append(String.format(Locale.ROOT, "; index directory %,d MiB, %d segment%s", bytes >> 20, segments,
          segments == 1 ? "" : "s"));
    }
    return d.append('.').toString();
  }

  @Override
  public int[] search(float[] query, int k) {
    return search(query, k, defaultCandidates);
  }

  @Override
  public int[] search(float[] query, int k, int candidates) {
    DocumentIndex open = index;
    if (open == null) {
      throw new IllegalStateException(name() + " was not built");
    }
    String key = "q" + queries++;
    model.queries.put(key, query);
    try {
      // Exact search has no beam: it keeps the top k.
      SearchRequest request = SearchRequest.builder(RetrievalQuery.of(key, k)).mode(SearchMode.DENSE)
          .candidates(kind.lucene() ? candidates : k).build();
      List<RetrievedChunk> hits = open.search(request);
      int[] ids = new int[hits.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = Integer.parseInt(hits.get(i).citation().documentId());
      }
      return ids;
    } finally {
      model.queries.remove(key);
    }
  }

  @Override
  public void close() {
    try {
      if (index != null) {
        index.close();
      }
    } finally {
      index = null;
      model.base = null;
      if (directory != null) {
        Directories.delete(directory);
        directory = null;
      }
    }
  }


  /**
   * The index's embedding model: {@code "v<i>"} is base vector {@code i}, {@code "q<n>"} the query registered under
   * that key for the duration of one search. Anything else is refused. Safe to share across threads.
   */
  static final class PrecomputedVectors implements EmbeddingModel {
    volatile @Nullable VectorSet base;
    final Map<String, float[]> queries = new ConcurrentHashMap<>();

    @Override
    public EmbeddingResult embedAll(List<String> texts) {
      List<Embedding> out = new ArrayList<>(texts.size());
      for (String text : texts) {
        out.add(new Embedding(vector(text), 1, InputHandling.WHOLE));
      }
      return new EmbeddingResult(out, modelId(), texts.size());
    }

    private float[] vector(String text) {
      VectorSet b = base;
      if (text.startsWith("v") && b != null) {
        return b.get(Integer.parseInt(text, 1, text.length(), 10));
      }
      float[] q = queries.get(text);
      if (q == null) {
        throw new IllegalArgumentException("no precomputed vector for text '" + text + "'");
      }
      return q;
    }

    @Override
    public String modelId() {
      return "precomputed-vectors";
    }

    @Override
    public OptionalInt dimension() {
      VectorSet b = base;
      return b == null ? OptionalInt.empty() : OptionalInt.of(b.dimension());
    }
  }
}
