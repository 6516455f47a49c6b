package dev.llmops.rag.internal;

import static dev.llmops.rag.internal.LuceneFields.*;

import dev.llmops.core.ConflictException;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import dev.llmops.rag.document.AccessControl;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/**
 * The embedded index store: Lucene on local disk. Chunks are Lucene documents with a BM25 text field, an HNSW
 * vector (float or int8-quantized), exact-match metadata and access-control fields; each document also has a
 * record holding its content hash. A snapshot is a Lucene commit tagged in its user data; a deletion policy keeps
 * the commits of the retained snapshots and the head. Ingestions write checkpoint commits that searches ignore
 * (they read the last snapshot commit), so a crash loses at most the work since the last checkpoint and never
 * touches the current snapshot.
 */
public final class LuceneStore implements IndexStore {

  private static final String FORMAT_VERSION = "1";
  /** How stale a read-only store's view of the writer's commits may get. */
  private static final long READ_ONLY_RELIST_MILLIS = 1_000;

  private final Path path;
  private final Directory directory;
  private final Analyzer analyzer;
  private final BM25Similarity similarity = new BM25Similarity(Analysis.K1, Analysis.B);
  private final IndexSettings settings;
  private final Clock clock;
  private final RetainPolicy policy;
  private final Object lock = new Object();
  private final Map<String, DirectoryReader> readers = new ConcurrentHashMap<>();
  /** The writer, or {@code null} in a read-only store. */
  private @Nullable IndexWriter writer;
  private final boolean readOnly;
  /** When a read-only store last listed the commits, in milliseconds of the settings' clock. */
  private volatile long commitsListedAt;
  private volatile @Nullable List<IndexCommit> commitCache;
  /** Whether the head holds (or once held) a document with a tenant or groups; see {@link LuceneFields#RESTRICTED}. */
  private volatile boolean restrictedHead;
  private boolean closed;

  private LuceneStore(Path path, Directory directory, IndexSettings settings, boolean readOnly) throws IOException {
    this.readOnly = readOnly;
    this.path = path;
    this.directory = directory;
    this.settings = settings;
    this.clock = settings.clock();
    this.analyzer = Analysis.analyzer(settings.analysis());
    this.policy = new RetainPolicy(settings.retainSnapshots());
    this.writer = readOnly ? null : openWriter(null);
    try {
      List<IndexCommit> all = commits();
      this.restrictedHead = !all.isEmpty() && restricted(userData(all.get(all.size() - 1)));
    } catch (RuntimeException e) {
      closeQuietly(writer); // release the write lock: the caller never gets this store to close
      throw e;
    }
  }

  /** Whether a commit may hold restricted documents; commits that do not say are taken to. */
  private static boolean restricted(Map<String, String> data) {
    return !"false".equals(data.get(RESTRICTED));
  }

  /**
   * Opens or creates the index in {@code path}.
   *
   * @throws ConflictException if another writer holds it
   * @throws CorruptDataException if it cannot be read, or the directory holds other files
   */
  public static LuceneStore open(Path path, IndexSettings settings) {
    Directory directory = null;
    try {
      Files.createDirectories(path);
      directory = FSDirectory.open(path);
      if (!DirectoryReader.indexExists(directory) && hasForeignFiles(path)) {
        throw new CorruptDataException("directory " + path + " is not empty and holds no llmops index; "
            + "give an empty or new directory", null);
      }
      return new LuceneStore(path, directory, settings, false);
    } catch (LockObtainFailedException e) {
      closeQuietly(directory);
      throw new ConflictException("the index in " + path + " is open in another process or another DocumentIndex "
          + "(" + e.getMessage() + ")", e);
    } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
      closeQuietly(directory);
      throw new CorruptDataException("the index in " + path + " cannot be read: " + e.getMessage(), e);
    } catch (IOException e) {
      closeQuietly(directory);
      throw new UnavailableException("cannot open the index in " + path + ": " + e, null, e);
    } catch (RuntimeException e) {
      closeQuietly(directory);
      throw e;
    }
  }

  /**
   * Opens the index in {@code path} for searching only: no lock is taken, a writer elsewhere keeps writing, and
   * the commits are listed again at most once a second of the settings' clock.
   *
   * @throws NotFoundException if the directory holds no index
   */
  public static LuceneStore openReadOnly(Path path, IndexSettings settings) {
    Directory directory = null;
    try {
      if (!Files.isDirectory(path)) {
        throw new NotFoundException("no index directory " + path);
      }
      directory = FSDirectory.open(path);
      if (!DirectoryReader.indexExists(directory)) {
        throw new NotFoundException("directory " + path + " holds no index (no commit yet)");
      }
      return new LuceneStore(path, directory, settings, true);
    } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
      closeQuietly(directory);
      throw new CorruptDataException("the index in " + path + " cannot be read: " + e.getMessage(), e);
    } catch (IOException e) {
      closeQuietly(directory);
      throw new UnavailableException("cannot open the index in " + path + ": " + e, null, e);
    } catch (RuntimeException e) {
      closeQuietly(directory);
      throw e;
    }
  }

  private IndexWriter writable() {
    IndexWriter w = writer;
    if (w == null) {
      throw new IllegalStateException("the index in " + path + " is open read-only");
    }
    return w;
  }

  private static boolean hasForeignFiles(Path path) throws IOException {
    try (Stream<Path> files = Files.list(path)) {
      return files.anyMatch(f -> !f.getFileName().toString().equals("write.lock"));
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // already failing with a better message
      }
    }
  }

  private IndexWriter openWriter(@Nullable IndexCommit from) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(analyzer)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setIndexDeletionPolicy(policy)
        .setSimilarity(similarity)
        .setCommitOnClose(false)
        .setRAMBufferSizeMB(256)
        .setCodec(codec());
    if (from != null) {
      config.setIndexCommit(from);
    }
    IndexWriter opened = new IndexWriter(directory, config);
    commitCache = null; // the deletion policy may have removed commits
    return opened;
  }

  private Lucene912Codec codec() {
    int m = settings.hnswMaxConnections();
    int beam = settings.hnswBeamWidth();
    KnnVectorsFormat format = new WideVectors(settings.quantizeVectors()
        ? new Lucene99HnswScalarQuantizedVectorsFormat(m, beam)
        : new Lucene99HnswVectorsFormat(m, beam));
    return new Lucene912Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  /**
   * A Lucene vector format that accepts up to {@link #MAX_DIMENSIONS} dimensions instead of Lucene's default 1,024,
   * which refuses the vectors of common models (OpenAI's text-embedding-3 models have 1,536 and 3,072). Only the
   * writing side checks the limit; the format keeps the name of the one it wraps, so segments are read back by
   * Lucene's own format.
   */
  private static final class WideVectors extends KnnVectorsFormat {
    static final int MAX_DIMENSIONS = 4_096;
    private final KnnVectorsFormat delegate;

    WideVectors(KnnVectorsFormat delegate) {
      super(delegate.getName());
      this.delegate = delegate;
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
      return delegate.fieldsWriter(state);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
      return delegate.fieldsReader(state);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
      return MAX_DIMENSIONS;
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }

  // ---- commits and snapshots -------------------------------------------------------------------------------

  /**
   * The commits, oldest first. Only this store's writer changes them (the directory's write lock keeps other
   * processes out), so the list is read once and again only after this store commits, rolls back or opens a writer;
   * searches do not list the directory.
   */
  private List<IndexCommit> commits() {
    List<IndexCommit> cached = commitCache;
    if (cached != null && (!readOnly || clock.millis() - commitsListedAt < READ_ONLY_RELIST_MILLIS)) {
      return cached;
    }
    try {
      cached = List.copyOf(DirectoryReader.listCommits(directory));
      commitCache = cached;
      commitsListedAt = clock.millis();
      if (readOnly) {
        pruneReaders(cached);
      }
      return cached;
    } catch (org.apache.lucene.index.IndexNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new UnavailableException("cannot list the commits of the index in " + path + ": " + e, null, e);
    }
  }

  private static Map<String, String> userData(IndexCommit commit) {
    try {
      return commit.getUserData();
    } catch (IOException e) {
      throw new CorruptDataException("cannot read commit " + commit.getSegmentsFileName() + ": " + e, e);
    }
  }

  private static boolean isSnapshot(Map<String, String> data) {
    return KIND_SNAPSHOT.equals(data.get(KIND));
  }

  private static Snapshot toSnapshot(Map<String, String> data) {
    String parent = data.get(PARENT);
    return new Snapshot(data.get(SNAPSHOT), Instant.ofEpochMilli(Long.parseLong(data.get(CREATED))),
        parent == null || parent.isEmpty() ? null : parent, Integer.parseInt(data.get(DOCUMENTS)),
        Integer.parseInt(data.get(CHUNKS)));
  }

  /** The newest commit carrying each snapshot id, by id. */
  private Map<String, IndexCommit> snapshotCommits() {
    return snapshotCommits(commits());
  }

  private static Map<String, IndexCommit> snapshotCommits(List<IndexCommit> commits) {
    Map<String, IndexCommit> byId = new HashMap<>();
    for (IndexCommit c : commits) { // ascending generation: later commits win
      Map<String, String> data = userData(c);
      if (isSnapshot(data)) {
        byId.put(data.get(SNAPSHOT), c);
      }
    }
    return byId;
  }

  private Optional<IndexCommit> currentCommit() {
    List<IndexCommit> all = commits();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (isSnapshot(userData(all.get(i)))) {
        return Optional.of(all.get(i));
      }
    }
    return Optional.empty();
  }

  @Override
  public Map<String, String> properties() {
    synchronized (lock) {
      List<IndexCommit> all = commits();
      if (all.isEmpty()) {
        return Map.of();
      }
      Map<String, String> props = new LinkedHashMap<>();
      userData(all.get(all.size() - 1)).forEach((k, v) -> {
        if (k.startsWith(PROPERTY)) {
          props.put(k.substring(PROPERTY.length()), v);
        }
      });
      return props;
    }
  }

  @Override
  public Optional<Snapshot> current() {
    synchronized (lock) {
      return currentCommit().map(c -> toSnapshot(userData(c)));
    }
  }

  @Override
  public List<Snapshot> snapshots() {
    synchronized (lock) {
      return snapshotCommits().values().stream()
          .map(c -> toSnapshot(userData(c)))
          .sorted(Comparator.comparing(Snapshot::createdAt).thenComparing(s -> sequence(s.id())).reversed())
          .toList();
    }
  }

  private static long sequence(String snapshotId) {
    int dash = snapshotId.indexOf('-');
    return Long.parseLong(snapshotId.substring(1, dash < 0 ? snapshotId.length() : dash));
  }

  private long maxSequence() {
    long max = 0;
    for (IndexCommit c : commits()) {
      String s = userData(c).get(SEQUENCE);
      if (s != null) {
        max = Math.max(max, Long.parseLong(s));
      }
    }
    return max;
  }

  // ---- writing ---------------------------------------------------------------------------------------------

  @Override
  public Map<String, String> headHashes() {
    synchronized (lock) {
      ensureOpen();
      Map<String, String> hashes = new HashMap<>();
      try (DirectoryReader reader = DirectoryReader.open(writable())) {
        IndexSearcher searcher = new IndexSearcher(reader);
        forEachDocument(searcher, (fields, doc) -> hashes.put(doc.get(DOC_ID), doc.get(HASH)));
      } catch (IOException e) {
        throw new UnavailableException("cannot read the index in " + path + ": " + e, null, e);
      }
      return hashes;
    }
  }

  private interface DocumentVisitor {
    void visit(StoredFields fields, Document doc) throws IOException;
  }

  private static void forEachDocument(IndexSearcher searcher, DocumentVisitor visitor) throws IOException {
    Query query = new TermQuery(new Term(TYPE, TYPE_DOCUMENT));
    for (var leaf : searcher.getIndexReader().leaves()) {
      var scorer = searcher.createWeight(searcher.rewrite(query), org.apache.lucene.search.ScoreMode.COMPLETE_NO_SCORES,
          1f).scorer(leaf);
      if (scorer == null) {
        continue;
      }
      StoredFields fields = leaf.reader().storedFields();
      var live = leaf.reader().getLiveDocs();
      var it = scorer.iterator();
      for (int d = it.nextDoc(); d != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        if (live == null || live.get(d)) {
          visitor.visit(fields, fields.document(d));
        }
      }
    }
  }

  @Override
  public boolean hasUnpublishedWork() {
    if (readOnly) {
      return false;
    }
    synchronized (lock) {
      List<IndexCommit> all = commits();
      return !all.isEmpty() && !isSnapshot(userData(all.get(all.size() - 1)));
    }
  }

  @Override
  public Writer writer() {
    synchronized (lock) {
      ensureOpen();
      writable();
      return new LuceneWriter();
    }
  }

  private final class LuceneWriter implements Writer {

    @Override
    public void delete(String documentId) {
      try {
        writable().deleteDocuments(new Term(DOC_ID, documentId));
      } catch (IOException e) {
        throw failure("delete document " + documentId, e);
      }
    }

    @Override
    public void put(String documentId, String hash, List<StoredChunk> chunks) {
      for (StoredChunk c : chunks) {
        if (c.access().tenant() != null || !c.access().groups().isEmpty()) {
          restrictedHead = true;
        }
      }
      List<Document> block = new ArrayList<>(chunks.size() + 1);
      Document record = new Document();
      record.add(new StringField(TYPE, TYPE_DOCUMENT, Field.Store.NO));
      record.add(new StringField(DOC_ID, documentId, Field.Store.YES));
      record.add(new StoredField(HASH, hash));
      record.add(new StoredField(CHUNK_COUNT, chunks.size()));
      block.add(record);
      for (StoredChunk c : chunks) {
        block.add(chunkDocument(c));
      }
      try {
        writable().updateDocuments(new Term(DOC_ID, documentId), block);
      } catch (IOException e) {
        throw failure("write document " + documentId, e);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("document " + documentId + " cannot be indexed: "
            + e.getMessage(), e);
      }
    }

    @Override
    public void checkpoint(Map<String, String> properties) {
      synchronized (lock) {
        Map<String, String> data = new HashMap<>();
        properties.forEach((k, v) -> data.put(PROPERTY + k, v));
        data.put(KIND, KIND_CHECKPOINT);
        data.put(RESTRICTED, Boolean.toString(restrictedHead));
        data.put(SEQUENCE, Long.toString(maxSequence()));
        data.put(FORMAT, FORMAT_VERSION);
        data.put(CREATED, Long.toString(clock.millis()));
        commitWith(data, "checkpoint");
      }
    }

    @Override
    public Snapshot commit(Map<String, String> properties) {
      synchronized (lock) {
        ensureOpen();
        int documents;
        int chunks;
        try (DirectoryReader reader = DirectoryReader.open(writable())) {
          IndexSearcher searcher = new IndexSearcher(reader);
          documents = searcher.count(new TermQuery(new Term(TYPE, TYPE_DOCUMENT)));
          chunks = searcher.count(new TermQuery(new Term(TYPE, TYPE_CHUNK)));
        } catch (IOException e) {
          throw failure("count the index", e);
        }
        long sequence = maxSequence() + 1;
        Map<String, String> data = new HashMap<>();
        properties.forEach((k, v) -> data.put(PROPERTY + k, v));
        String id = SnapshotIds.next(sequence);
        data.put(KIND, KIND_SNAPSHOT);
        data.put(SNAPSHOT, id);
        data.put(SEQUENCE, Long.toString(sequence));
        data.put(CREATED, Long.toString(clock.millis()));
        current().ifPresent(s -> data.put(PARENT, s.id()));
        data.put(DOCUMENTS, Integer.toString(documents));
        data.put(CHUNKS, Integer.toString(chunks));
        data.put(RESTRICTED, Boolean.toString(restrictedHead));
        data.put(FORMAT, FORMAT_VERSION);
        commitWith(data, "snapshot " + id);
        pruneReaders();
        return toSnapshot(data);
      }
    }

    @Override
    public void abort() {
      synchronized (lock) {
        if (closed) {
          return;
        }
        // An interrupt closes Lucene's file channels, the write lock's too, and would fail the recovery as well:
        // recover with the flag cleared, then set it again for the caller to see.
        boolean interrupted = Thread.interrupted();
        try {
          try {
            writable().rollback();
          } catch (IOException | RuntimeException broken) {
            // The writer failed beyond rollback (Lucene closed it after an interrupt or a write error). The files
            // on disk are those of the last commit; a new writer takes over from there.
            closeQuietly(writer);
          }
          writer = openWriter(null);
          List<IndexCommit> all = commits();
          restrictedHead = !all.isEmpty() && restricted(userData(all.get(all.size() - 1)));
        } catch (IOException e) {
          throw failure("abort the ingestion", e);
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }

  private void commitWith(Map<String, String> data, String what) {
    try {
      IndexWriter w = writable();
      w.setLiveCommitData(data.entrySet(), true);
      w.commit();
    } catch (IOException e) {
      throw failure("commit " + what, e);
    } finally {
      commitCache = null;
    }
  }

  private UnavailableException failure(String what, IOException e) {
    return new UnavailableException("cannot " + what + " in the index in " + path + ": " + e, null, e);
  }

  private static Document chunkDocument(StoredChunk c) {
    Document d = new Document();
    d.add(new StringField(TYPE, TYPE_CHUNK, Field.Store.NO));
    d.add(new StringField(DOC_ID, c.documentId(), Field.Store.YES));
    d.add(new StoredField(ORDINAL, c.ordinal()));
    d.add(new TextField(CONTENT, c.lexicalText(), Field.Store.NO));
    d.add(new StoredField(TEXT, c.text()));
    d.add(new StoredField(START, c.start()));
    d.add(new StoredField(END, c.end()));
    if (c.page() != null) {
      d.add(new StoredField(PAGE, c.page()));
    }
    d.add(new StoredField(TITLE, c.title()));
    d.add(new StoredField(SOURCE, c.source()));
    String tenant = c.access().tenant();
    d.add(new StringField(TENANT, tenant == null ? NO_TENANT : tenant, Field.Store.YES));
    if (c.access().groups().isEmpty()) {
      d.add(new StringField(GROUP, ANY_GROUP, Field.Store.NO));
    }
    for (String g : c.access().groups()) {
      d.add(new StringField(GROUP, g, Field.Store.YES));
    }
    for (Map.Entry<String, String> m : c.metadata().entrySet()) {
      d.add(new StringField(META + m.getKey(), m.getValue(), Field.Store.YES));
    }
    if (c.vector() != null) {
      d.add(new KnnFloatVectorField(VECTOR, c.vector(), VectorSimilarityFunction.DOT_PRODUCT));
    }
    return d;
  }

  private static StoredChunk readChunk(Document d) {
    Map<String, String> metadata = new HashMap<>();
    Set<String> groups = new TreeSet<>();
    for (IndexableField f : d.getFields()) {
      if (f.name().startsWith(META)) {
        metadata.put(f.name().substring(META.length()), f.stringValue());
      } else if (f.name().equals(GROUP)) {
        groups.add(f.stringValue());
      }
    }
    String tenant = d.get(TENANT);
    IndexableField page = d.getField(PAGE);
    return new StoredChunk(d.get(DOC_ID), d.getField(ORDINAL).numericValue().intValue(), d.get(TEXT),
        d.getField(START).numericValue().intValue(), d.getField(END).numericValue().intValue(),
        page == null ? null : page.numericValue().intValue(), d.get(TITLE), d.get(SOURCE), metadata,
        new AccessControl(NO_TENANT.equals(tenant) ? null : tenant, groups), null);
  }

  // ---- rollback --------------------------------------------------------------------------------------------

  @Override
  public Snapshot rollback(String snapshotId) {
    synchronized (lock) {
      ensureOpen();
      IndexCommit target = snapshotCommits().get(snapshotId);
      if (target == null) {
        throw notRetained(snapshotId);
      }
      Map<String, String> data = new HashMap<>(userData(target));
      data.put(SEQUENCE, Long.toString(maxSequence()));
      try {
        writable().rollback();
        writer = openWriter(target);
        // The writer now holds the target's documents: its flag goes with them even if the commit below fails,
        // so a later commit cannot publish restricted documents as unrestricted.
        restrictedHead = restricted(data);
      } catch (IOException e) {
        try {
          writer = openWriter(null);
          List<IndexCommit> all = commits();
          restrictedHead = all.isEmpty() || restricted(userData(all.get(all.size() - 1)));
        } catch (IOException again) {
          e.addSuppressed(again);
        }
        throw failure("roll back to snapshot " + snapshotId, e);
      }
      commitWith(data, "rollback to snapshot " + snapshotId);
      pruneReaders();
      return toSnapshot(data);
    }
  }

  private NotFoundException notRetained(String snapshotId) {
    return new NotFoundException("snapshot " + snapshotId + " is not retained by the index in " + path
        + "; retained: " + snapshots().stream().map(Snapshot::id).toList());
  }

  // ---- reading ---------------------------------------------------------------------------------------------

  @Override
  public Optional<View> view(@Nullable String snapshotId) {
    int attempts = 0;
    while (true) {
      Snapshot snapshot;
      DirectoryReader reader;
      boolean restrictedView;
      synchronized (lock) {
        ensureOpen();
        IndexCommit commit;
        if (snapshotId == null) {
          Optional<IndexCommit> c = currentCommit();
          if (c.isEmpty()) {
            return Optional.empty();
          }
          commit = c.get();
        } else {
          commit = snapshotCommits().get(snapshotId);
          if (commit == null) {
            throw notRetained(snapshotId);
          }
        }
        snapshot = toSnapshot(userData(commit));
        restrictedView = restricted(userData(commit));
        try {
          reader = readers.computeIfAbsent(snapshot.id(), id -> openReader(commit));
        } catch (UnavailableException e) {
          if (!readOnly || ++attempts >= 3) {
            throw e;
          }
          commitCache = null; // the writer deleted the commit after we listed it: list again
          continue;
        }
      }
      if (reader.tryIncRef()) {
        return Optional.of(new LuceneView(snapshot, reader, restrictedView));
      }
      // Pruned between lookup and use: look again.
    }
  }

  private DirectoryReader openReader(IndexCommit commit) {
    try {
      return DirectoryReader.open(commit);
    } catch (IOException e) {
      throw failure("open commit " + commit.getSegmentsFileName(), e);
    }
  }

  /** Releases readers of snapshots no longer retained (searches holding them finish first). */
  private void pruneReaders() {
    pruneReaders(commits());
  }

  private void pruneReaders(List<IndexCommit> commits) {
    Set<String> keep = new HashSet<>(snapshotCommits(commits).keySet());
    for (Map.Entry<String, DirectoryReader> e : readers.entrySet()) {
      if (!keep.contains(e.getKey()) && readers.remove(e.getKey(), e.getValue())) {
        decRef(e.getValue());
      }
    }
  }

  private static void decRef(DirectoryReader reader) {
    try {
      reader.decRef();
    } catch (IOException ignored) {
      // closing a reader of files we no longer need
    }
  }

  private final class LuceneView implements View {
    private final Snapshot snapshot;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final boolean restricted;

    LuceneView(Snapshot snapshot, DirectoryReader reader, boolean restricted) {
      this.snapshot = snapshot;
      this.reader = reader;
      this.restricted = restricted;
      this.searcher = new IndexSearcher(reader);
      this.searcher.setSimilarity(similarity);
    }

    @Override
    public Snapshot snapshot() {
      return snapshot;
    }

    @Override
    public List<Hit> lexical(String text, int n, Scope scope) {
      // One clause per distinct term, boosted by how often the query repeats it: BM25 sums a clause per occurrence,
      // which is the same score, but a long query (a pasted passage) would pass Lucene's limit of 1,024 clauses. A
      // query with more distinct terms keeps its most frequent ones, as many as the limit leaves beside the filters.
      if (!restricted && scope.tenant() != null) {
        return List.of(); // no document of this snapshot has a tenant
      }
      Query filter = filter(scope, restricted);
      int room = IndexSearcher.getMaxClauseCount() - (filter == null ? 0 : leaves(filter));
      Map<String, Integer> terms = Analysis.termCounts(analyzer, CONTENT, text,
          Math.max(1, Math.min(Analysis.MAX_QUERY_TERMS, room)));
      if (terms.isEmpty()) {
        return List.of();
      }
      try {
        BooleanQuery.Builder match = new BooleanQuery.Builder();
        terms.forEach((term, count) -> {
          Query q = new TermQuery(new Term(CONTENT, term));
          match.add(count == 1 ? q : new BoostQuery(q, count), Occur.SHOULD);
        });
        Query query = filter == null ? match.build()
            : new BooleanQuery.Builder().add(match.build(), Occur.MUST).add(filter, Occur.FILTER).build();
        return hits(query, n, false);
      } catch (IndexSearcher.TooManyClauses e) {
        throw new InvalidRequestException("the query has " + terms.size() + " distinct terms after analysis, more than "
            + "a BM25 search of the index in " + path + " takes (" + IndexSearcher.getMaxClauseCount()
            + " clauses with the filters); shorten it", e);
      }
    }

    /** The clauses Lucene's clause limit counts in {@code query}, as IndexSearcher counts them. */
    private static int leaves(Query query) {
      int[] count = {0};
      query.visit(new QueryVisitor() {
        @Override
        public QueryVisitor getSubVisitor(Occur occur, Query parent) {
          return this;
        }

        @Override
        public void visitLeaf(Query leaf) {
          count[0]++;
        }

        @Override
        public void consumeTerms(Query leaf, Term... terms) {
          count[0]++;
        }

        @Override
        public void consumeTermsMatching(Query leaf, String field,
            java.util.function.Supplier<org.apache.lucene.util.automaton.ByteRunAutomaton> automaton) {
          count[0]++;
        }
      });
      return count[0];
    }

    @Override
    public List<Hit> dense(float[] vector, int n, Scope scope) {
      if (!restricted && scope.tenant() != null) {
        return List.of(); // no document of this snapshot has a tenant
      }
      return hits(new KnnFloatVectorQuery(VECTOR, vector, n, filter(scope, restricted)), n, true);
    }

    private List<Hit> hits(Query query, int n, boolean dotProduct) {
      try {
        TopDocs top = searcher.search(query, n);
        List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
          // Lucene scores a dot product of unit vectors as (1 + cos) / 2; report the cosine.
          double score = dotProduct ? 2.0 * sd.score - 1 : sd.score;
          hits.add(new Hit(sd.doc, score));
        }
        return hits;
      } catch (IOException e) {
        throw failure("search", e);
      }
    }

    @Override
    public StoredChunk chunk(int ref) {
      try {
        return readChunk(searcher.storedFields().document(ref));
      } catch (IOException e) {
        throw failure("read a chunk", e);
      }
    }

    @Override
    public String documentId(int ref) {
      try {
        return searcher.storedFields().document(ref, Set.of(DOC_ID)).get(DOC_ID);
      } catch (IOException e) {
        throw failure("read a chunk", e);
      }
    }

    @Override
    public Map<String, String> documentHashes() {
      Map<String, String> hashes = new HashMap<>();
      try {
        forEachDocument(searcher, (fields, doc) -> hashes.put(doc.get(DOC_ID), doc.get(HASH)));
      } catch (IOException e) {
        throw failure("list documents", e);
      }
      return hashes;
    }

    @Override
    public List<String> documentIds() {
      List<String> ids = new ArrayList<>();
      try {
        forEachDocument(searcher, (fields, doc) -> ids.add(doc.get(DOC_ID)));
      } catch (IOException e) {
        throw failure("list documents", e);
      }
      return ids;
    }

    @Override
    public void close() {
      decRef(reader);
    }
  }

  /**
   * The access and metadata filter, applied inside every query, or {@code null} when it admits every chunk: a
   * snapshot that never held a restricted document, searched without a tenant and without metadata filters. (Only
   * chunks have a vector and the BM25 field, so neither search needs a filter on the document type, and skipping
   * a filter that admits everything spares the vector search building an acceptance set of every chunk.)
   */
  static @Nullable Query filter(Scope scope, boolean restricted) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    boolean any = false;
    if (restricted) {
      b.add(new TermQuery(new Term(TENANT, scope.tenant() == null ? NO_TENANT : scope.tenant())), Occur.FILTER);
      // One query for any number of groups: a clause per group would hit Lucene's limit of 1,024 clauses for a
      // caller in many groups (directory groups run to thousands) and make every search of that caller fail.
      List<BytesRef> groups = new ArrayList<>(scope.groups().size() + 1);
      groups.add(new BytesRef(ANY_GROUP));
      for (String g : scope.groups()) {
        groups.add(new BytesRef(g));
      }
      b.add(new TermInSetQuery(GROUP, groups), Occur.FILTER);
      any = true;
    }
    for (Map.Entry<String, String> f : scope.filters().entrySet()) {
      b.add(new TermQuery(new Term(META + f.getKey(), f.getValue())), Occur.FILTER);
      any = true;
    }
    return any ? b.build() : null;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the index in " + path + " is closed");
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (writer != null) {
          writer.rollback(); // uncommitted work is dropped; the last checkpoint and snapshots stay
        }
      } catch (IOException | RuntimeException ignored) {
        // closing
      }
      readers.values().forEach(LuceneStore::decRef);
      readers.clear();
      closeQuietly(directory);
      analyzer.close();
    }
  }

  /**
   * Keeps the newest commit of each retained snapshot id and the head commit; deletes the rest (older
   * checkpoints, superseded duplicates of a snapshot, snapshots past the retention count).
   */
  private static final class RetainPolicy extends IndexDeletionPolicy {
    private final int retain;

    RetainPolicy(int retain) {
      this.retain = retain;
    }

    @Override
    public void onInit(List<? extends IndexCommit> commits) throws IOException {
      onCommit(commits);
    }

    @Override
    public void onCommit(List<? extends IndexCommit> commits) throws IOException {
      if (commits.isEmpty()) {
        return;
      }
      Map<String, IndexCommit> newestById = new HashMap<>();
      Map<String, Long> sequenceById = new HashMap<>();
      String currentId = null;
      for (IndexCommit c : commits) {
        Map<String, String> data = c.getUserData();
        if (isSnapshot(data)) {
          String id = data.get(SNAPSHOT);
          newestById.put(id, c);
          sequenceById.put(id, sequence(id));
          currentId = id;
        }
      }
      List<String> ids = new ArrayList<>(newestById.keySet());
      ids.sort(Comparator.comparing(sequenceById::get).reversed());
      Set<String> kept = new HashSet<>();
      if (currentId != null) {
        kept.add(currentId);
      }
      for (String id : ids) {
        if (kept.size() >= retain) {
          break;
        }
        kept.add(id);
      }
      Set<IndexCommit> keep = new HashSet<>();
      for (String id : kept) {
        keep.add(newestById.get(id));
      }
      keep.add(commits.get(commits.size() - 1));
      for (IndexCommit c : commits) {
        if (!keep.contains(c)) {
          c.delete();
        }
      }
    }
  }
}
