package dev.llmops.rag.solr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.ConflictException;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import dev.llmops.rag.document.AccessControl;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.Snapshot;
import dev.llmops.rag.internal.Analysis;
import dev.llmops.rag.internal.Hit;
import dev.llmops.rag.internal.IndexStore;
import dev.llmops.rag.internal.Scope;
import dev.llmops.rag.internal.StoredChunk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.request.schema.SchemaRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.common.params.CursorMarkParams;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index store on SolrCloud. The index {@code NAME} is a collection alias over generations {@code NAME_g000001},
 * {@code NAME_g000002}, ...: an ingestion copies the current generation into a new collection, applies its changes
 * there and publishes it by pointing the alias at it, so searches never see an ingestion in progress, a snapshot id
 * is a generation's name, and rollback is an alias change. The last {@link IndexSettings#retainSnapshots()}
 * generations are kept (a generation still read by a search of this process is deleted when the search ends, and
 * offered to no new search or rollback meanwhile; when the store is closed first, the next writer's retention deletes
 * it).
 *
 * <p>Each generation holds one Solr document per chunk, one per source document (its content hash and chunk count)
 * and one "meta" document, the snapshot record (kind, parent, time, counts, the engine's properties), committed
 * with the data like a Lucene commit's user data. A generation whose meta says "checkpoint" is a crashed or running
 * ingestion's durable progress; the next ingestion resumes from it.
 */
final class SolrStore implements IndexStore {

  private static final Logger LOG = LoggerFactory.getLogger(SolrStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SCHEMA_NAME = "llmops-1";
  private static final String FORMAT_VERSION = "1";
  /** Documents per update request of an ingestion or a copy. */
  private static final int BATCH = 500;
  /** How stale this process's idea of the current generation may get when another process publishes one. */
  private static final long RELIST_MILLIS = 1_000;
  private static final long ACTIVE_TIMEOUT_MILLIS = 120_000;
  private static final String HIGHEST = "llmops.highest";
  private static final int QUERY_ATTEMPTS = 3;

  // Field names and sentinels of schema.xml.
  static final String ID = "id";
  static final String TYPE = "type";
  static final String TYPE_CHUNK = "chunk";
  static final String TYPE_DOCUMENT = "document";
  static final String TYPE_META = "meta";
  static final String META_ID = "\u0001meta";
  static final String DOC_ID = "doc_id";
  static final String HASH = "hash";
  static final String CHUNK_COUNT = "chunk_count";
  static final String ORDINAL = "ordinal";
  static final String TEXT = "text";
  static final String START = "start";
  static final String END = "end";
  static final String PAGE = "page";
  static final String TITLE = "title";
  static final String SOURCE = "source";
  static final String VECTOR = "vector";
  static final String TENANT = "acl_tenant";
  static final String GROUP = "acl_group";
  static final String METADATA = "meta";
  static final String RECORD = "llmops_json";
  /** Names cannot contain control characters (see AccessControl), so these never collide with a real one. */
  static final String NO_TENANT = "\u0001none";
  static final String ANY_GROUP = "\u0001any";
  private static final String SEPARATOR = "\u001f";
  private static final String CHUNK_FIELDS = String.join(",", ID, DOC_ID, ORDINAL, TEXT, START, END, PAGE, TITLE,
      SOURCE, TENANT, GROUP, METADATA, "score");
  /** Lucene's limit on the bytes of an indexed string. */
  private static final int MAX_TERM_BYTES = 32_766;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,80}");

  private final CloudSolrClient client;
  private final String address;
  private final String name;
  private final Pattern generationPattern;
  private final IndexSettings settings;
  private final CollectionLayout layout;
  private final Clock clock;
  private final Analyzer analyzer;
  private final String contentField;
  private final Object lock = new Object();
  /** Snapshot records of generations, by generation name; a published generation never changes. */
  private final Map<String, Generation> records = new ConcurrentHashMap<>();
  /** Views open on each generation, so a generation is not deleted under a running search. */
  private final Map<String, Integer> reading = new HashMap<>();
  private final Set<String> doomed = new HashSet<>();
  private volatile @Nullable String currentGeneration;
  private volatile long currentListedAt = Long.MIN_VALUE;
  private boolean closed;
  /**
   * For tests only: runs in commit() right after the alias moved, where the best-effort steps (alias property,
   * retention) run, so a test can make them fail.
   */
  volatile @Nullable Runnable afterAliasMove;

  /** A generation's meta document. */
  record Generation(String kind, String generation, long sequence, @Nullable String parent, long created, int documents,
      int chunks, Map<String, String> properties) {

    boolean isSnapshot() {
      return "snapshot".equals(kind);
    }

    Snapshot snapshot() {
      return new Snapshot(generation, Instant.ofEpochMilli(created), parent, documents, chunks);
    }
  }

  private SolrStore(CloudSolrClient client, String address, String name, IndexSettings settings,
      CollectionLayout layout) {
    this.client = client;
    this.address = address;
    this.name = name;
    this.generationPattern = Pattern.compile(Pattern.quote(name) + "_g(\\d{6,})");
    this.settings = settings;
    this.layout = layout;
    this.clock = settings.clock();
    this.analyzer = Analysis.analyzer(settings.analysis());
    this.contentField = "content_" + settings.analysis().name().toLowerCase(Locale.ROOT);
  }

  /** Opens (creating nothing yet) the index {@code name}; see {@link SolrCloud#openIndex}. */
  static SolrStore open(CloudSolrClient client, String address, String name, IndexSettings settings,
      CollectionLayout layout) {
    checkName(name);
    SolrStore store = new SolrStore(client, address, name, settings, layout);
    try {
      store.checkExisting();
      return store;
    } catch (RuntimeException e) {
      store.analyzer.close();
      throw e;
    }
  }

  static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new InvalidRequestException("a SolrCloud index name takes letters, digits, '.', '_' and '-', starts with "
          + "a letter or digit and has at most 81 characters, but was '" + name + "'");
    }
  }

  /** The generation number of {@code collection} in index {@code name}, or 0 when it is not one of its generations. */
  static long sequenceOf(String name, String collection) {
    Matcher m = Pattern.compile(Pattern.quote(name) + "_g(\\d{6,})").matcher(collection);
    return m.matches() ? Long.parseLong(m.group(1)) : 0;
  }

  private long sequence(String generation) {
    Matcher m = generationPattern.matcher(generation);
    return m.matches() ? Long.parseLong(m.group(1)) : 0;
  }

  private String generationName(long sequence) {
    return name + String.format(Locale.ROOT, "_g%06d", sequence);
  }

  /** Refuses a name taken by something that is not this kind of index, or a generation with another schema. */
  private void checkExisting() {
    List<String> collections = collections();
    if (collections.contains(name)) {
      throw new ConflictException("SolrCloud at " + address + " has a collection named " + name + " that is not an "
          + "llmops index (an llmops index is an alias over collections " + generationName(1) + ", ...); choose "
          + "another index name");
    }
    Map<String, String> aliases = aliases().aliases;
    String target = aliases.get(name);
    if (target != null && (target.contains(",") || sequence(target) == 0)) {
      throw new ConflictException("SolrCloud at " + address + " has an alias " + name + " pointing at " + target
          + ", which is not an llmops index generation; choose another index name");
    }
    if (target != null) {
      checkSchema(target);
    }
  }

  /** Compares a generation's schema with the one this library ships and the HNSW settings. */
  private void checkSchema(String generation) {
    try {
      String schemaName = new SchemaRequest.SchemaName().process(client, generation).getSchemaName();
      if (!SCHEMA_NAME.equals(schemaName)) {
        throw new ConflictException("collection " + generation + " on SolrCloud at " + address + " has schema '"
            + schemaName + "' but this library writes schema '" + SCHEMA_NAME + "'; it was not created by this "
            + "version of llmops");
      }
      List<Map<String, Object>> types = new SchemaRequest.FieldTypes().process(client, generation).getFieldTypes()
          .stream().map(t -> t.getAttributes()).toList();
      for (Map<String, Object> t : types) {
        if ("knn_vector".equals(t.get("name"))) {
          Map<String, String> expected = Map.of("similarityFunction", "cosine",
              "hnswMaxConnections", Integer.toString(settings.hnswMaxConnections()),
              "hnswBeamWidth", Integer.toString(settings.hnswBeamWidth()));
          for (Map.Entry<String, String> e : expected.entrySet()) {
            Object actual = t.get(e.getKey());
            if (actual != null && !e.getValue().equals(String.valueOf(actual))) {
              throw new ConflictException("collection " + generation + " on SolrCloud at " + address + " has "
                  + e.getKey() + "=" + actual + " but the index settings ask for " + e.getValue()
                  + "; open it with the same settings, or build a new index");
            }
          }
        }
      }
      boolean hasContent = new SchemaRequest.Fields().process(client, generation).getFields().stream()
          .anyMatch(f -> contentField.equals(f.get("name")));
      if (!hasContent) {
        throw new ConflictException("collection " + generation + " on SolrCloud at " + address + " has no field "
            + contentField + " for " + settings.analysis() + " analysis");
      }
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw failure("read the schema of collection " + generation, e);
    }
  }

  // ---- cluster state ---------------------------------------------------------------------------------------

  private record Aliases(Map<String, String> aliases, Map<String, String> properties) {}

  private Aliases aliases() {
    try {
      var response = new CollectionAdminRequest.ListAliases().process(client);
      Map<String, String> props = response.getAliasProperties().getOrDefault(name, Map.of());
      return new Aliases(response.getAliases(), props == null ? Map.of() : props);
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw failure("list the collection aliases", e);
    }
  }

  private List<String> collections() {
    try {
      return CollectionAdminRequest.listCollections(client);
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw failure("list the collections", e);
    }
  }

  /** This index's generations, oldest first. */
  private List<String> generations() {
    List<String> out = new ArrayList<>();
    for (String c : collections()) {
      if (sequence(c) > 0) {
        out.add(c);
      }
    }
    out.sort(Comparator.comparingLong(this::sequence));
    return out;
  }

  /** The current generation (the alias target), listed again at most once a second unless this process moved it. */
  private @Nullable String currentGeneration() {
    long now = clock.millis();
    if (now - currentListedAt < RELIST_MILLIS && currentListedAt != Long.MIN_VALUE) {
      return currentGeneration;
    }
    String target = aliases().aliases.get(name);
    currentGeneration = target;
    currentListedAt = now;
    return target;
  }

  private void published(@Nullable String generation) {
    currentGeneration = generation;
    currentListedAt = clock.millis();
  }

  /** The meta record of a generation, or empty when it has none committed (a generation being built). */
  private Optional<Generation> record(String generation) {
    Generation cached = records.get(generation);
    if (cached != null) {
      return Optional.of(cached);
    }
    SolrQuery q = new SolrQuery("{!term f=" + ID + "}" + META_ID).setFields(RECORD).setRows(1);
    SolrDocumentList docs = query(generation, q, "read the snapshot record of " + generation).getResults();
    if (docs.isEmpty()) {
      return Optional.empty();
    }
    Generation r = parseRecord(generation, (String) docs.get(0).getFirstValue(RECORD));
    if (r.isSnapshot()) {
      records.put(generation, r); // published generations never change
    }
    return Optional.of(r);
  }

  private Generation parseRecord(String generation, String json) {
    try {
      return JSON.readValue(json, Generation.class);
    } catch (JsonProcessingException e) {
      throw new CorruptDataException("the snapshot record of collection " + generation + " on SolrCloud at "
          + address + " cannot be read: " + e.getOriginalMessage(), e);
    }
  }

  private static String json(Generation r) {
    try {
      return JSON.writeValueAsString(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a snapshot record is always serialisable", e);
    }
  }

  /** The newest generation if it holds checkpointed work that was never published. */
  private Optional<Generation> unpublished() {
    List<String> all = generations();
    if (all.isEmpty()) {
      return Optional.empty();
    }
    String newest = all.get(all.size() - 1);
    String current = currentGeneration();
    if (newest.equals(current)) {
      return Optional.empty();
    }
    return record(newest).filter(r -> !r.isSnapshot());
  }

  // ---- IndexStore: state -----------------------------------------------------------------------------------

  @Override
  public Map<String, String> properties() {
    synchronized (lock) {
      ensureOpen();
      Optional<Generation> head = unpublished();
      if (head.isPresent()) {
        return head.get().properties();
      }
      String current = currentGeneration();
      return current == null ? Map.of() : record(current).map(Generation::properties).orElse(Map.of());
    }
  }

  @Override
  public Optional<Snapshot> current() {
    ensureOpen();
    String current = currentGeneration();
    if (current == null) {
      return Optional.empty();
    }
    return Optional.of(publishedRecord(current).snapshot());
  }

  private Generation publishedRecord(String generation) {
    return record(generation).orElseThrow(() -> new CorruptDataException("collection " + generation + " on SolrCloud "
        + "at " + address + " is published under alias " + name + " but holds no snapshot record", null));
  }

  @Override
  public List<Snapshot> snapshots() {
    synchronized (lock) {
      ensureOpen();
      List<Snapshot> out = new ArrayList<>();
      List<String> all = generations();
      for (int i = all.size() - 1; i >= 0; i--) {
        if (!doomed.contains(all.get(i))) { // past retention, kept only while a search reads it
          record(all.get(i)).filter(Generation::isSnapshot).ifPresent(r -> out.add(r.snapshot()));
        }
      }
      return out;
    }
  }

  @Override
  public Map<String, String> headHashes() {
    synchronized (lock) {
      ensureOpen();
      String head = unpublished().map(Generation::generation).orElseGet(this::currentGeneration);
      Map<String, String> hashes = new HashMap<>();
      if (head != null) {
        forEachDocumentRecord(head, d -> hashes.put((String) d.getFirstValue(DOC_ID), (String) d.getFirstValue(HASH)));
      }
      return hashes;
    }
  }

  @Override
  public boolean hasUnpublishedWork() {
    synchronized (lock) {
      ensureOpen();
      return unpublished().isPresent();
    }
  }

  private interface DocumentVisitor {
    void visit(SolrDocument doc);
  }

  /** Every source-document record of a generation, read with a cursor. */
  private void forEachDocumentRecord(String generation, DocumentVisitor visitor) {
    forEach(generation, "{!term f=" + TYPE + "}" + TYPE_DOCUMENT, DOC_ID + "," + HASH + "," + CHUNK_COUNT, visitor);
  }

  private void forEach(String generation, String query, String fields, DocumentVisitor visitor) {
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      SolrQuery q = new SolrQuery(query).setFields(fields).setRows(BATCH).setSort(ID, SolrQuery.ORDER.asc);
      q.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse response = query(generation, q, "read collection " + generation);
      response.getResults().forEach(visitor::visit);
      String next = response.getNextCursorMark();
      if (next == null || next.equals(cursor)) {
        return;
      }
      cursor = next;
    }
  }

  // ---- IndexStore: writing ---------------------------------------------------------------------------------

  @Override
  public Writer writer() {
    synchronized (lock) {
      ensureOpen();
      Optional<Generation> resume = unpublished();
      // Generations without a snapshot record that are not being resumed are the remains of a run that died
      // before its first checkpoint: nothing in them was ever durable or visible.
      String current = currentGeneration();
      for (String g : generations()) {
        if (!g.equals(current) && resume.map(r -> !r.generation().equals(g)).orElse(true)
            && record(g).isEmpty()) {
          deleteGeneration(g);
        }
      }
      return new SolrWriter(resume.orElse(null), current);
    }
  }

  private final class SolrWriter implements Writer {
    /** The generation being written, created on the first change. */
    private @Nullable String generation;
    private final @Nullable String base;
    private int dimension;
    /** Whether the generation holds a committed checkpoint (so abort must keep it). */
    private boolean checkpointed;
    /** Document id to chunk count, as the head holds it with this writer's changes. */
    private final Map<String, Integer> chunkCounts = new HashMap<>();
    private final List<SolrInputDocument> adds = new ArrayList<>();
    private final List<String> deletes = new ArrayList<>();
    /** Documents changed since the last checkpoint. */
    private final Set<String> touched = new HashSet<>();
    /** Set once commit() moved the alias: the generation is live and abort() must not touch it. */
    private boolean finished;
    /** The failure that left this writer's generation incomplete; every later change or commit fails with it. */
    private @Nullable UnavailableException broken;

    SolrWriter(@Nullable Generation resume, @Nullable String current) {
      this.base = current;
      if (resume != null) {
        generation = resume.generation();
        checkpointed = true;
        dimension = parseDimension(resume.properties());
      } else if (current != null) {
        dimension = parseDimension(publishedRecord(current).properties());
      }
      String head = generation != null ? generation : current;
      if (head != null) {
        forEachDocumentRecord(head, d -> chunkCounts.put((String) d.getFirstValue(DOC_ID),
            ((Number) d.getFirstValue(CHUNK_COUNT)).intValue()));
      }
    }

    private int parseDimension(Map<String, String> properties) {
      try {
        return Integer.parseInt(properties.getOrDefault("dimension", "0"));
      } catch (NumberFormatException e) {
        throw new CorruptDataException("the snapshot record of index " + name + " on SolrCloud at " + address
            + " gives dimension '" + properties.get("dimension") + "'", e);
      }
    }

    private String generation(int vectorLength) {
      if (generation != null) {
        return generation;
      }
      if (dimension == 0 && vectorLength > 0) {
        dimension = vectorLength;
      }
      List<String> all = generations();
      long highest = all.isEmpty() ? 0 : sequence(all.get(all.size() - 1));
      String recorded = aliases().properties.get(HIGHEST);
      if (recorded != null) {
        highest = Math.max(highest, Long.parseLong(recorded));
      }
      String g = generationName(highest + 1);
      try {
        createGeneration(g, dimension);
        if (base != null) {
          copy(base, g);
        }
      } catch (RuntimeException e) {
        // A partial copy must never be committed: the generation goes, and so does this writer.
        deleteGeneration(g);
        throw poison(e, "building generation " + g + " from " + base);
      }
      generation = g; // only a complete copy becomes this writer's generation
      return g;
    }

    /** Marks this writer unusable after a failure that left its generation incomplete; returns the error to throw. */
    private UnavailableException poison(RuntimeException cause, String what) {
      UnavailableException failure = new UnavailableException("the ingestion into index " + name + " on SolrCloud at "
          + address + " cannot go on after a failure " + what + ": " + cause.getMessage(), null, cause);
      broken = failure;
      return failure;
    }

    /** Fails fast, with the original failure as cause, once this writer is broken. */
    private void checkUsable() {
      UnavailableException b = broken;
      if (b != null) {
        throw new UnavailableException(b.getMessage(), null, b);
      }
    }

    @Override
    public void delete(String documentId) {
      checkUsable();
      Integer count = chunkCounts.remove(documentId);
      if (count == null) {
        return;
      }
      generation(0);
      deletes.add(documentKey(documentId));
      for (int i = 0; i < count; i++) {
        deletes.add(chunkKey(documentId, i));
      }
      touched.add(documentId);
      flushIfFull();
    }

    @Override
    public void put(String documentId, String hash, List<StoredChunk> chunks) {
      checkUsable();
      if (utf8Length(documentId) > MAX_TERM_BYTES / 2) {
        throw new InvalidRequestException("document id " + documentId.substring(0, 40) + "... is longer than "
            + MAX_TERM_BYTES / 2 + " bytes, which a SolrCloud index cannot store");
      }
      int vectorLength = 0;
      for (StoredChunk c : chunks) {
        if (c.vector() != null) {
          vectorLength = c.vector().length;
        }
        for (Map.Entry<String, String> m : c.metadata().entrySet()) {
          if (utf8Length(metaValue(m.getKey(), m.getValue())) > MAX_TERM_BYTES) {
            throw new InvalidRequestException("document " + documentId + " has metadata field '" + m.getKey()
                + "' longer than " + MAX_TERM_BYTES + " bytes, which a SolrCloud index cannot filter on");
          }
        }
        String tenant = c.access().tenant();
        if (tenant != null && utf8Length(tenant) > MAX_TERM_BYTES) {
          throw new InvalidRequestException("document " + documentId + " has tenant '" + prefix(tenant)
              + "...' longer than " + MAX_TERM_BYTES + " bytes, which a SolrCloud index cannot filter on");
        }
        for (String group : c.access().groups()) {
          if (utf8Length(group) > MAX_TERM_BYTES) {
            throw new InvalidRequestException("document " + documentId + " has group '" + prefix(group)
                + "...' longer than " + MAX_TERM_BYTES + " bytes, which a SolrCloud index cannot filter on");
          }
        }
      }
      String g = generation(vectorLength);
      if (vectorLength > 0 && dimension > 0 && vectorLength != dimension) {
        throw new InvalidRequestException("document " + documentId + " has vectors of " + vectorLength
            + " dimensions but collection " + g + " holds " + dimension);
      }
      Integer before = chunkCounts.put(documentId, chunks.size());
      for (int i = chunks.size(); before != null && i < before; i++) {
        deletes.add(chunkKey(documentId, i));
      }
      SolrInputDocument record = new SolrInputDocument();
      record.setField(ID, documentKey(documentId));
      record.setField(TYPE, TYPE_DOCUMENT);
      record.setField(DOC_ID, documentId);
      record.setField(HASH, hash);
      record.setField(CHUNK_COUNT, chunks.size());
      adds.add(record);
      for (StoredChunk c : chunks) {
        adds.add(chunkDocument(c));
      }
      touched.add(documentId);
      flushIfFull();
    }

    private void flushIfFull() {
      if (adds.size() + deletes.size() >= BATCH) {
        flush();
      }
    }

    private void flush() {
      if (generation == null || (adds.isEmpty() && deletes.isEmpty())) {
        return;
      }
      UpdateRequest update = new UpdateRequest();
      if (!adds.isEmpty()) {
        update.add(adds);
      }
      if (!deletes.isEmpty()) {
        update.deleteById(deletes);
      }
      String what = "writing " + (adds.size() + deletes.size()) + " changes to collection " + generation;
      try {
        send(update, generation, what);
      } catch (RuntimeException e) {
        // The changes are lost to the generation but counted in this writer's state: committing now would publish
        // documents without their chunks. The buffer goes, and the writer fails fast until aborted.
        throw poison(e, what);
      } finally {
        adds.clear();
        deletes.clear();
      }
    }

    private void commitWith(Generation r) {
      checkUsable();
      flush();
      SolrInputDocument meta = new SolrInputDocument();
      meta.setField(ID, META_ID);
      meta.setField(TYPE, TYPE_META);
      meta.setField(RECORD, json(r));
      UpdateRequest update = new UpdateRequest();
      update.add(meta);
      update.setAction(UpdateRequest.ACTION.COMMIT, true, true);
      send(update, r.generation(), "commit collection " + r.generation());
    }

    @Override
    public void checkpoint(Map<String, String> properties) {
      synchronized (lock) {
        checkUsable();
        if (generation == null) {
          return; // nothing changed yet
        }
        commitWith(new Generation("checkpoint", generation, sequence(generation), base, clock.millis(),
            chunkCounts.size(), total(), properties));
        checkpointed = true;
        touched.clear();
      }
    }

    private int total() {
      int sum = 0;
      for (int c : chunkCounts.values()) {
        sum += c;
      }
      return sum;
    }

    @Override
    public Snapshot commit(Map<String, String> properties) {
      synchronized (lock) {
        ensureOpen();
        checkUsable();
        String g = generation(0);
        Generation r = new Generation("snapshot", g, sequence(g), base, clock.millis(), chunkCounts.size(), total(),
            properties);
        commitWith(r);
        moveAlias(g, r);
        // Published: from here on the generation is live, and abort() must leave it alone whatever fails next.
        finished = true;
        records.put(g, r);
        published(g);
        LOG.info("index {} on SolrCloud at {}: published generation {} ({} documents, {} chunks)", name, address, g,
            r.documents(), r.chunks());
        try {
          Runnable hook = afterAliasMove;
          if (hook != null) {
            hook.run();
          }
          CollectionAdminRequest.setAliasProperty(name).addProperty(HIGHEST, Long.toString(sequence(g)))
              .process(client);
        } catch (SolrServerException | IOException | RuntimeException e) {
          // Only a hint for numbering the next generation, which also lists the collections.
          LOG.warn("index {} on SolrCloud at {}: published generation {} (base {}) but cannot record it in alias "
              + "property {}: {}", name, address, g, base, HIGHEST, e.toString());
        }
        try {
          retain(g);
        } catch (RuntimeException e) {
          LOG.warn("index {} on SolrCloud at {}: published generation {} (base {}) but cannot delete the generations "
              + "past retention; the next commit tries again: {}", name, address, g, base, e.toString());
        }
        return r.snapshot();
      }
    }

    /**
     * Points the alias at {@code g}. When that fails and the alias does not point at it, the generation's record goes
     * back to a checkpoint, so the next writer resumes it instead of taking an unpublished snapshot for retained.
     */
    private void moveAlias(String g, Generation r) {
      try {
        CollectionAdminRequest.createAlias(name, g).process(client);
      } catch (SolrServerException | IOException | RuntimeException e) {
        LlmOpsException failure = failure("point alias " + name + " at collection " + g, e);
        try {
          if (g.equals(aliases().aliases.get(name))) {
            LOG.warn("index {} on SolrCloud at {}: the alias move to {} reported {} but took effect", name, address,
                g, e.toString());
            return;
          }
          commitWith(new Generation("checkpoint", g, r.sequence(), base, r.created(), r.documents(), r.chunks(),
              r.properties()));
          checkpointed = true;
          touched.clear();
        } catch (RuntimeException again) {
          failure.addSuppressed(again);
        }
        throw failure;
      }
    }

    @Override
    public void abort() {
      synchronized (lock) {
        adds.clear();
        deletes.clear();
        if (generation == null || closed || finished) {
          return;
        }
        if (!checkpointed) {
          deleteGeneration(generation); // nothing of it was ever durable
          generation = null;
          return;
        }
        restoreCheckpoint();
      }
    }

    /**
     * Puts the documents changed since the last checkpoint back as the checkpoint holds them. SolrCloud has no
     * rollback of uncommitted updates, but its searcher still shows the last commit: read them there, then
     * overwrite.
     */
    private void restoreCheckpoint() {
      String g = generation;
      if (touched.isEmpty()) {
        return;
      }
      UpdateRequest update = new UpdateRequest();
      List<String> wrong = new ArrayList<>();
      for (String documentId : touched) {
        Integer now = chunkCounts.get(documentId);
        wrong.add(documentKey(documentId));
        for (int i = 0; now != null && i < now; i++) {
          wrong.add(chunkKey(documentId, i));
        }
      }
      update.deleteById(wrong);
      send(update, g, "undo an aborted ingestion in collection " + g);
      List<SolrInputDocument> committed = new ArrayList<>();
      for (String documentId : touched) {
        forEach(g, "{!term f=" + DOC_ID + "}" + documentId, "*", d -> committed.add(toInput(d)));
      }
      UpdateRequest restore = new UpdateRequest();
      if (!committed.isEmpty()) {
        restore.add(committed);
      }
      restore.setAction(UpdateRequest.ACTION.COMMIT, true, true);
      send(restore, g, "undo an aborted ingestion in collection " + g);
      touched.clear();
    }
  }

  /** The first 40 characters of a long value, for a message. */
  private static String prefix(String value) {
    return value.substring(0, Math.min(40, value.length()));
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Solr ids: '!' is the compositeId router's separator, so it is escaped along with the escape character. */
  private static String escapeId(String documentId) {
    return documentId.replace("%", "%25").replace("!", "%21");
  }

  static String documentKey(String documentId) {
    return "d:" + escapeId(documentId);
  }

  static String chunkKey(String documentId, int ordinal) {
    return "c:" + escapeId(documentId) + "#" + ordinal;
  }

  static String metaValue(String key, String value) {
    return key.length() + ":" + key + "=" + value;
  }

  private SolrInputDocument chunkDocument(StoredChunk c) {
    SolrInputDocument d = new SolrInputDocument();
    d.setField(ID, chunkKey(c.documentId(), c.ordinal()));
    d.setField(TYPE, TYPE_CHUNK);
    d.setField(DOC_ID, c.documentId());
    d.setField(ORDINAL, c.ordinal());
    d.setField(contentField, c.lexicalText());
    d.setField(TEXT, c.text());
    d.setField(START, c.start());
    d.setField(END, c.end());
    if (c.page() != null) {
      d.setField(PAGE, c.page());
    }
    d.setField(TITLE, c.title());
    d.setField(SOURCE, c.source());
    String tenant = c.access().tenant();
    d.setField(TENANT, tenant == null ? NO_TENANT : tenant);
    if (c.access().groups().isEmpty()) {
      d.addField(GROUP, ANY_GROUP);
    }
    for (String g : c.access().groups()) {
      d.addField(GROUP, g);
    }
    for (Map.Entry<String, String> m : new TreeMap<>(c.metadata()).entrySet()) {
      d.addField(METADATA, metaValue(m.getKey(), m.getValue()));
    }
    float[] v = c.vector();
    if (v != null) {
      List<Float> list = new ArrayList<>(v.length);
      for (float f : v) {
        list.add(f);
      }
      d.setField(VECTOR, list);
    }
    return d;
  }

  /**
   * A stored document as an update again. The BM25 field is not stored (it would double the text held); a chunk's is
   * made again from its stored title and passage, as {@link StoredChunk#lexicalText()} made it.
   */
  private SolrInputDocument toInput(SolrDocument d) {
    SolrInputDocument in = new SolrInputDocument();
    for (String field : d.getFieldNames()) {
      if (!"_version_".equals(field)) {
        in.setField(field, d.getFieldValue(field));
      }
    }
    if (TYPE_CHUNK.equals(d.getFirstValue(TYPE))) {
      String title = (String) d.getFirstValue(TITLE);
      String text = (String) d.getFirstValue(TEXT);
      in.setField(contentField, title == null || title.isEmpty() ? text : title + "\n" + text);
    }
    return in;
  }

  private static StoredChunk readChunk(SolrDocument d) {
    Map<String, String> metadata = new HashMap<>();
    Collection<Object> metas = d.getFieldValues(METADATA);
    if (metas != null) {
      for (Object o : metas) {
        String s = (String) o;
        int colon = s.indexOf(':');
        int keyLength = Integer.parseInt(s.substring(0, colon));
        metadata.put(s.substring(colon + 1, colon + 1 + keyLength), s.substring(colon + 2 + keyLength));
      }
    }
    Set<String> groups = new TreeSet<>();
    Collection<Object> gs = d.getFieldValues(GROUP);
    if (gs != null) {
      for (Object o : gs) {
        if (!ANY_GROUP.equals(o)) {
          groups.add((String) o);
        }
      }
    }
    String tenant = (String) d.getFirstValue(TENANT);
    Object page = d.getFirstValue(PAGE);
    return new StoredChunk((String) d.getFirstValue(DOC_ID), ((Number) d.getFirstValue(ORDINAL)).intValue(),
        (String) d.getFirstValue(TEXT), ((Number) d.getFirstValue(START)).intValue(),
        ((Number) d.getFirstValue(END)).intValue(), page == null ? null : ((Number) page).intValue(),
        (String) d.getFirstValue(TITLE), (String) d.getFirstValue(SOURCE), metadata,
        new AccessControl(tenant == null || NO_TENANT.equals(tenant) ? null : tenant, groups), null);
  }

  // ---- collections -----------------------------------------------------------------------------------------

  /** Creates a generation with this library's config set and waits until every replica is active. */
  private void createGeneration(String generation, int dimension) {
    String configSet = uploadConfigSet(dimension);
    try {
      CollectionAdminRequest.createCollection(generation, configSet, layout.shards(), layout.replicationFactor())
          .process(client);
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw failure("create collection " + generation + " (" + layout.shards() + " shards x "
          + layout.replicationFactor() + " replicas)", e);
    }
    awaitActive(generation);
    LOG.info("index {} on SolrCloud at {}: created generation {}", name, address, generation);
  }

  private void awaitActive(String generation) {
    long deadline = System.nanoTime() + ACTIVE_TIMEOUT_MILLIS * 1_000_000L;
    while (true) {
      try {
        DocCollection state = client.getClusterStateProvider().getCollection(generation);
        Set<String> live = client.getClusterStateProvider().getLiveNodes();
        if (state != null && state.getSlices().size() == layout.shards() && allActive(state, live)) {
          return;
        }
      } catch (IOException | SolrException e) {
        LOG.debug("waiting for collection {}: {}", generation, e.toString());
      }
      if (System.nanoTime() > deadline) {
        throw new UnavailableException("collection " + generation + " on SolrCloud at " + address + " did not "
            + "become active within " + ACTIVE_TIMEOUT_MILLIS / 1000 + " s", null, null);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new dev.llmops.core.CancelledException("interrupted while waiting for collection " + generation, e);
      }
    }
  }

  private boolean allActive(DocCollection state, Set<String> live) {
    for (Slice s : state.getSlices()) {
      if (s.getLeader() == null || s.getReplicas().size() < layout.replicationFactor()) {
        return false;
      }
      for (Replica r : s.getReplicas()) {
        if (r.getState() != Replica.State.ACTIVE || !live.contains(r.getNodeName())) {
          return false;
        }
      }
    }
    return true;
  }

  /** Copies every document of one generation into another (the meta record stays behind). */
  private void copy(String from, String to) {
    List<SolrInputDocument> batch = new ArrayList<>(BATCH);
    int[] copied = {0};
    forEach(from, "*:*", "*", d -> {
      if (TYPE_META.equals(d.getFirstValue(TYPE))) {
        return;
      }
      batch.add(toInput(d));
      if (batch.size() == BATCH) {
        UpdateRequest update = new UpdateRequest();
        update.add(batch);
        send(update, to, "copy generation " + from + " into " + to);
        copied[0] += batch.size();
        batch.clear();
      }
    });
    if (!batch.isEmpty()) {
      UpdateRequest update = new UpdateRequest();
      update.add(batch);
      send(update, to, "copy generation " + from + " into " + to);
      copied[0] += batch.size();
    }
    LOG.debug("copied {} documents from {} to {}", copied[0], from, to);
  }

  /**
   * The config set for this dimension and these HNSW parameters, uploaded when the cluster does not have it yet. Its
   * name holds a hash of its files, so an index never changes a config set another index uses.
   */
  private String uploadConfigSet(int dimension) {
    Map<String, byte[]> files = configFiles(dimension);
    String configSet = configSetName(files);
    try {
      List<String> existing = new ConfigSetAdminRequest.List().process(client).getConfigSets();
      if (existing.contains(configSet)) {
        return configSet;
      }
      Path zip = Files.createTempFile("llmops-configset", ".zip");
      try {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
          for (Map.Entry<String, byte[]> f : files.entrySet()) {
            out.putNextEntry(new ZipEntry(f.getKey()));
            out.write(f.getValue());
            out.closeEntry();
          }
        }
        new ConfigSetAdminRequest.Upload().setConfigSetName(configSet).setUploadFile(zip.toFile(), "application/zip")
            .process(client);
      } finally {
        Files.deleteIfExists(zip);
      }
      LOG.info("uploaded config set {} to SolrCloud at {}", configSet, address);
      return configSet;
    } catch (SolrServerException | IOException | RuntimeException e) {
      if (e instanceof SolrException se && se.getMessage() != null && se.getMessage().contains("already exists")) {
        return configSet; // another process uploaded the same files meanwhile
      }
      throw failure("upload config set " + configSet, e);
    }
  }

  /** The config set files for a vector dimension (0 for an index without vectors). */
  Map<String, byte[]> configFiles(int dimension) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    String schema = resource("schema.xml");
    if (dimension > 0) {
      schema = schema.replace("<!--VECTOR", "").replace("VECTOR-->", "")
          .replace("@DIMENSION@", Integer.toString(dimension))
          .replace("@MAX_CONNECTIONS@", Integer.toString(settings.hnswMaxConnections()))
          .replace("@BEAM_WIDTH@", Integer.toString(settings.hnswBeamWidth()));
    }
    files.put("schema.xml", schema.getBytes(StandardCharsets.UTF_8));
    files.put("solrconfig.xml", resource("solrconfig.xml").getBytes(StandardCharsets.UTF_8));
    return files;
  }

  private static String configSetName(Map<String, byte[]> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        sha.update(f.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update(f.getValue());
      }
      return SCHEMA_NAME + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String resource(String file) {
    try (InputStream in = SolrStore.class.getResourceAsStream("configset/" + file)) {
      if (in == null) {
        throw new IllegalStateException("the llmops-rag-solr jar lacks configset/" + file);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configset/" + file + " from the llmops-rag-solr jar", e);
    }
  }

  /**
   * Deletes the generations past retention: the current one and the newest others up to the count stay. One a view
   * of this process still reads is marked instead and deleted by its last view's close; marked generations left by a
   * closed store, or by another process, are deleted here. Called with the lock held.
   */
  private void retain(String current) {
    List<String> all = generations();
    Set<String> kept = new HashSet<>();
    kept.add(current);
    for (int i = all.size() - 1; i >= 0 && kept.size() < settings.retainSnapshots(); i--) {
      kept.add(all.get(i));
    }
    for (String g : all) {
      if (!kept.contains(g)) {
        if (reading.getOrDefault(g, 0) > 0) {
          doomed.add(g); // the last search reading it deletes it
        } else {
          deleteGeneration(g);
        }
      }
    }
  }

  private void deleteGeneration(String generation) {
    records.remove(generation);
    try {
      CollectionAdminRequest.deleteCollection(generation).process(client);
      LOG.info("index {} on SolrCloud at {}: deleted generation {}", name, address, generation);
    } catch (SolrServerException | IOException | RuntimeException e) {
      LOG.warn("cannot delete generation {} of index {} on SolrCloud at {}: {}", generation, name, address,
          e.toString());
    }
  }

  // ---- rollback --------------------------------------------------------------------------------------------

  @Override
  public Snapshot rollback(String snapshotId) {
    synchronized (lock) {
      ensureOpen();
      if (doomed.contains(snapshotId)) {
        throw new NotFoundException("snapshot " + snapshotId + " of index " + name + " on SolrCloud at " + address
            + " is past retention and is deleted when the searches still reading it end; retained: "
            + snapshots().stream().map(Snapshot::id).toList());
      }
      Generation target = sequence(snapshotId) > 0 && generations().contains(snapshotId)
          ? record(snapshotId).filter(Generation::isSnapshot).orElse(null) : null;
      if (target == null) {
        throw notRetained(snapshotId);
      }
      // An unpublished checkpoint was built on the old current snapshot: it goes, as a Lucene writer's would.
      unpublished().ifPresent(r -> deleteGeneration(r.generation()));
      try {
        CollectionAdminRequest.createAlias(name, snapshotId).process(client);
      } catch (SolrServerException | IOException | RuntimeException e) {
        throw failure("point alias " + name + " at collection " + snapshotId, e);
      }
      published(snapshotId);
      return target.snapshot();
    }
  }

  private NotFoundException notRetained(String snapshotId) {
    return new NotFoundException("snapshot " + snapshotId + " is not retained by index " + name + " on SolrCloud at "
        + address + "; retained: " + snapshots().stream().map(Snapshot::id).toList());
  }

  // ---- reading ---------------------------------------------------------------------------------------------

  /**
   * {@inheritDoc}
   *
   * <p>The generation is pinned (counted as read, under the lock {@link #retain} takes) before it is looked up, so
   * retention either deleted it before (the lookup fails: not found) or leaves it to the last view's close. A
   * generation past retention that a search still reads is not offered to new views.
   */
  @Override
  public Optional<View> view(@Nullable String snapshotId) {
    ensureOpen();
    if (snapshotId == null) {
      currentGeneration(); // lists the alias again when stale: a network call, so not under the lock
    }
    String generation;
    synchronized (lock) {
      ensureOpen();
      if (snapshotId == null) {
        // What this process last knew: commit and rollback of this process change it under this lock, and
        // retention never deletes it, so once pinned it stays.
        generation = currentGeneration;
        if (generation == null) {
          return Optional.empty();
        }
      } else {
        generation = snapshotId;
        if (sequence(snapshotId) == 0 || doomed.contains(snapshotId)) {
          throw notRetained(snapshotId);
        }
      }
      reading.merge(generation, 1, Integer::sum);
    }
    try {
      if (snapshotId != null && !generations().contains(snapshotId)) {
        throw notRetained(snapshotId);
      }
      Generation r = record(generation).filter(Generation::isSnapshot).orElseThrow(() -> notRetained(generation));
      return Optional.of(new SolrView(r));
    } catch (RuntimeException e) {
      release(generation);
      throw e;
    }
  }

  /**
   * Unpins a generation; the last view of one past retention deletes it, unless it has become the alias target
   * meanwhile (another process rolled back to it) or the store is closed (the next writer's retention deletes it).
   */
  private void release(String generation) {
    synchronized (lock) {
      int left = reading.merge(generation, -1, Integer::sum);
      if (left > 0) {
        return;
      }
      reading.remove(generation);
      if (!doomed.remove(generation)) {
        return;
      }
      if (closed) {
        LOG.debug("index {} on SolrCloud at {} is closed: generation {}, past retention, stays until the next "
            + "writer's retention deletes it", name, address, generation);
        return;
      }
      String target;
      try {
        target = aliases().aliases.get(name);
      } catch (RuntimeException e) {
        LOG.warn("index {} on SolrCloud at {}: cannot read the alias, so generation {} past retention stays until "
            + "the next writer's retention deletes it: {}", name, address, generation, e.toString());
        return;
      }
      if (generation.equals(target)) {
        LOG.info("index {} on SolrCloud at {}: generation {} is the alias target again and stays", name, address,
            generation);
        return;
      }
      deleteGeneration(generation);
    }
  }

  private final class SolrView implements View {
    private final Generation record;
    private final String generation;
    private final List<StoredChunk> chunks = new ArrayList<>();
    private final Map<String, Integer> refs = new HashMap<>();
    private boolean released;

    SolrView(Generation record) {
      this.record = record;
      this.generation = record.generation();
    }

    @Override
    public Snapshot snapshot() {
      return record.snapshot();
    }

    @Override
    public List<Hit> lexical(String text, int n, Scope scope) {
      // The query is analysed here, with the analyzer that indexed the chunks; Solr gets one term per distinct word,
      // boosted by how often the query repeats it (the BM25 score of repeating the clause). Solr refuses more than
      // maxBooleanClauses (1,024 by default, and also a node-wide limit a collection cannot raise) clauses, and it
      // counts the filter queries (type, tenant, groups, one per metadata filter) with the query's, since Lucene runs
      // them as one query. So a longer query keeps its most frequent terms, as many as fit beside the filters, as the
      // embedded index does.
      int room = Analysis.MAX_QUERY_TERMS - 3 - scope.filters().size();
      Map<String, Integer> terms = Analysis.termCounts(analyzer, contentField, text, Math.max(1, room));
      if (terms.isEmpty()) {
        return List.of();
      }
      StringBuilder q = new StringBuilder("{!lucene q.op=OR df=" + contentField + "}");
      terms.forEach((term, count) -> {
        q.append(ClientUtils.escapeQueryChars(term));
        if (count > 1) {
          q.append('^').append(count);
        }
        q.append(' ');
      });
      SolrQuery query = new SolrQuery(q.toString());
      try {
        return search(query, n, scope, false);
      } catch (InvalidRequestException e) {
        if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("clause")) {
          throw new InvalidRequestException("the query has " + terms.size() + " distinct terms after analysis, more "
              + "than a BM25 search of index " + name + " on SolrCloud at " + address + " takes; shorten it", e);
        }
        throw e;
      }
    }

    @Override
    public List<Hit> dense(float[] vector, int n, Scope scope) {
      if (record.properties().getOrDefault("dimension", "0").equals("0")) {
        return List.of();
      }
      StringBuilder v = new StringBuilder("{!knn f=" + VECTOR + " topK=" + n + "}[");
      for (int i = 0; i < vector.length; i++) {
        if (i > 0) {
          v.append(',');
        }
        v.append(vector[i]);
      }
      v.append(']');
      return search(new SolrQuery(v.toString()), n, scope, true);
    }

    private List<Hit> search(SolrQuery query, int n, Scope scope, boolean cosine) {
      query.setRows(n).setFields(CHUNK_FIELDS);
      query.addFilterQuery("{!term f=" + TYPE + "}" + TYPE_CHUNK);
      query.set("llmops.tenant", scope.tenant() == null ? NO_TENANT : scope.tenant());
      query.addFilterQuery("{!term f=" + TENANT + " v=$llmops.tenant}");
      StringBuilder groups = new StringBuilder(ANY_GROUP);
      for (String g : scope.groups()) {
        if (g.contains(SEPARATOR)) {
          throw new InvalidRequestException("group names cannot contain control characters but one of the caller's "
              + "does");
        }
        groups.append(SEPARATOR).append(g);
      }
      query.set("llmops.groups", groups.toString());
      query.set("llmops.sep", SEPARATOR);
      query.addFilterQuery("{!terms f=" + GROUP + " separator=$llmops.sep v=$llmops.groups}");
      int f = 0;
      for (Map.Entry<String, String> e : new TreeMap<>(scope.filters()).entrySet()) {
        String param = "llmops.f" + f++;
        query.set(param, metaValue(e.getKey(), e.getValue()));
        query.addFilterQuery("{!term f=" + METADATA + " v=$" + param + "}");
      }
      QueryResponse response = query(generation, query, "search collection " + generation);
      List<Hit> hits = new ArrayList<>(response.getResults().size());
      synchronized (this) {
        for (SolrDocument d : response.getResults()) {
          String key = (String) d.getFirstValue(ID);
          Integer ref = refs.get(key);
          if (ref == null) {
            ref = chunks.size();
            chunks.add(readChunk(d));
            refs.put(key, ref);
          }
          double score = ((Number) d.getFirstValue("score")).doubleValue();
          // Solr scores cosine similarity as (1 + cos) / 2; report the cosine, as the embedded index does.
          hits.add(new Hit(ref, cosine ? 2.0 * score - 1 : score));
        }
      }
      return hits;
    }

    @Override
    public synchronized StoredChunk chunk(int ref) {
      return chunks.get(ref);
    }

    @Override
    public synchronized String documentId(int ref) {
      return chunks.get(ref).documentId();
    }

    @Override
    public Map<String, String> documentHashes() {
      Map<String, String> hashes = new HashMap<>();
      forEachDocumentRecord(generation, d -> hashes.put((String) d.getFirstValue(DOC_ID),
          (String) d.getFirstValue(HASH)));
      return hashes;
    }

    @Override
    public List<String> documentIds() {
      List<String> ids = new ArrayList<>();
      forEachDocumentRecord(generation, d -> ids.add((String) d.getFirstValue(DOC_ID)));
      return ids;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      release(generation);
    }
  }

  // ---- requests and errors ---------------------------------------------------------------------------------

  /**
   * Runs a read. A read is idempotent, so one that fails other than as a bad request is tried again, twice at most:
   * a node that is shutting down can answer a shard request with a cut-off response before the cluster state says
   * it is gone, and the next try goes to a replica elsewhere.
   */
  private QueryResponse query(String collection, SolrQuery query, String what) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.query(collection, query, SolrRequest.METHOD.POST);
      } catch (SolrServerException | IOException | RuntimeException e) {
        LlmOpsException failure = failure(what, e);
        if (!(failure instanceof UnavailableException) || attempt == QUERY_ATTEMPTS) {
          throw failure;
        }
        LOG.debug("retrying a read of {} after {}", collection, e.toString());
      }
    }
  }

  private void send(UpdateRequest update, String collection, String what) {
    try {
      update.process(client, collection);
    } catch (SolrServerException | IOException | RuntimeException e) {
      throw failure(what, e);
    }
  }

  private LlmOpsException failure(String what, Exception e) {
    return failure(address, what, e);
  }

  /**
   * An llmops error for a failed Solr call: a missing collection is not found; a request Solr refuses as bad is the
   * caller's (invalid request); the rest (unreachable nodes, timeouts, server errors) may pass on a retry.
   */
  static LlmOpsException failure(String address, String what, Exception e) {
    if (e instanceof LlmOpsException l) {
      return l;
    }
    SolrException solr = e instanceof SolrException s ? s : null;
    if (solr == null && e.getCause() instanceof SolrException s) {
      solr = s;
    }
    String message = solr == null ? "" : String.valueOf(solr.getMessage()).toLowerCase(Locale.ROOT);
    if (solr != null && (message.contains("collection not found") || message.contains("could not find collection"))) {
      // SolrJ reports a missing collection as a bad request, but it is not one request's fault: the collection was
      // deleted (by retention or another process) or never made.
      return new NotFoundException("cannot " + what + " on SolrCloud at " + address + ": " + solr.getMessage(), e);
    }
    if (solr != null && solr.code() == SolrException.ErrorCode.BAD_REQUEST.code) {
      return new InvalidRequestException("SolrCloud at " + address + " refused to " + what + ": " + solr.getMessage(),
          e);
    }
    return new UnavailableException("cannot " + what + " on SolrCloud at " + address + ": " + e.getMessage(), null, e);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("index " + name + " on SolrCloud at " + address + " is closed");
    }
  }

  /**
   * Closes the store; idempotent. Views still open keep reading, but their close no longer deletes a generation past
   * retention: such generations stay on the cluster until the next writer of this index (in any process) commits and
   * its retention deletes them.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    analyzer.close();
  }

  @Override
  public String toString() {
    return "SolrStore[" + name + " on " + address + "]";
  }
}
