package dev.llmops.rag.internal;

import dev.llmops.core.NotFoundException;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.Snapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.apache.lucene.analysis.Analyzer;
import org.jspecify.annotations.Nullable;

/**
 * An index store in memory: each snapshot is an immutable map of documents; BM25 with the same analysis and
 * parameters as the Lucene store, and exact vector search over every admitted chunk. Nothing is durable:
 * checkpoints are no-ops and the contents go with the process.
 */
public final class InMemoryStore implements IndexStore {

  private record DocEntry(String hash, List<StoredChunk> chunks) {}

  private final Analyzer analyzer;
  private final Clock clock;
  private final int retain;
  private final Object lock = new Object();
  private final List<State> retained = new ArrayList<>(); // newest first
  private @Nullable State current;
  private Map<String, String> properties = Map.of();
  private long sequence;
  private boolean closed;

  /** A new, empty store. */
  public InMemoryStore(IndexSettings settings) {
    this.analyzer = Analysis.analyzer(settings.analysis());
    this.clock = settings.clock();
    this.retain = settings.retainSnapshots();
  }

  @Override
  public Map<String, String> properties() {
    synchronized (lock) {
      return properties;
    }
  }

  @Override
  public Optional<Snapshot> current() {
    synchronized (lock) {
      return Optional.ofNullable(current).map(State::snapshot);
    }
  }

  @Override
  public List<Snapshot> snapshots() {
    synchronized (lock) {
      return retained.stream().map(State::snapshot).toList();
    }
  }

  @Override
  public Map<String, String> headHashes() {
    synchronized (lock) {
      Map<String, String> hashes = new HashMap<>();
      if (current != null) {
        current.docs.forEach((id, d) -> hashes.put(id, d.hash));
      }
      return hashes;
    }
  }

  @Override
  public boolean hasUnpublishedWork() {
    return false;
  }

  @Override
  public Writer writer() {
    synchronized (lock) {
      ensureOpen();
      Map<String, DocEntry> base = current == null ? Map.of() : current.docs;
      return new MemoryWriter(new HashMap<>(base));
    }
  }

  @Override
  public Snapshot rollback(String snapshotId) {
    synchronized (lock) {
      ensureOpen();
      State target = find(snapshotId);
      current = target;
      return target.snapshot;
    }
  }

  @Override
  public Optional<View> view(@Nullable String snapshotId) {
    synchronized (lock) {
      ensureOpen();
      if (snapshotId == null) {
        return Optional.ofNullable(current).map(StateView::new);
      }
      return Optional.of(new StateView(find(snapshotId)));
    }
  }

  private State find(String snapshotId) {
    for (State s : retained) {
      if (s.snapshot.id().equals(snapshotId)) {
        return s;
      }
    }
    throw new NotFoundException("snapshot " + snapshotId + " is not retained by this index; retained: "
        + retained.stream().map(s -> s.snapshot.id()).toList());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the index is closed");
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      retained.clear();
      current = null;
    }
    analyzer.close();
  }

  private final class MemoryWriter implements Writer {
    private final Map<String, DocEntry> docs;

    MemoryWriter(Map<String, DocEntry> docs) {
      this.docs = docs;
    }

    @Override
    public void delete(String documentId) {
      docs.remove(documentId);
    }

    @Override
    public void put(String documentId, String hash, List<StoredChunk> chunks) {
      docs.put(documentId, new DocEntry(hash, List.copyOf(chunks)));
    }

    @Override
    public void checkpoint(Map<String, String> props) {
      // Nothing in memory survives a crash; there is nothing to make durable.
    }

    @Override
    public Snapshot commit(Map<String, String> props) {
      synchronized (lock) {
        ensureOpen();
        sequence++;
        int chunks = docs.values().stream().mapToInt(d -> d.chunks.size()).sum();
        Snapshot snapshot = new Snapshot(SnapshotIds.next(sequence), clock.instant(),
            current == null ? null : current.snapshot.id(), docs.size(), chunks);
        State state = new State(snapshot, Map.copyOf(docs));
        retained.add(0, state);
        current = state;
        properties = Map.copyOf(props);
        prune();
        return snapshot;
      }
    }

    @Override
    public void abort() {
      docs.clear();
    }
  }

  /** Keeps the newest {@code retain} snapshots, always including the current one. */
  private void prune() {
    while (retained.size() > retain) {
      int victim = retained.size() - 1;
      if (retained.get(victim) == current) {
        victim--;
      }
      retained.remove(victim);
    }
  }

  /** One immutable snapshot and, built on first search, its inverted index and vectors. */
  private final class State {
    final Snapshot snapshot;
    final Map<String, DocEntry> docs;
    private volatile @Nullable Searchable searchable;

    State(Snapshot snapshot, Map<String, DocEntry> docs) {
      this.snapshot = snapshot;
      this.docs = docs;
    }

    Snapshot snapshot() {
      return snapshot;
    }

    Searchable searchable() {
      Searchable s = searchable;
      if (s == null) {
        synchronized (this) {
          s = searchable;
          if (s == null) {
            s = new Searchable(docs, analyzer);
            searchable = s;
          }
        }
      }
      return s;
    }
  }

  /** Postings and lengths for BM25 over one snapshot's chunks. */
  private static final class Searchable {
    final StoredChunk[] chunks;
    final int[] lengths;
    final double averageLength;
    final Map<String, Map<Integer, Integer>> postings = new HashMap<>();

    Searchable(Map<String, DocEntry> docs, Analyzer analyzer) {
      List<StoredChunk> all = new ArrayList<>();
      docs.values().forEach(d -> all.addAll(d.chunks));
      chunks = all.toArray(StoredChunk[]::new);
      lengths = new int[chunks.length];
      long total = 0;
      for (int i = 0; i < chunks.length; i++) {
        List<String> terms = Analysis.terms(analyzer, LuceneFields.CONTENT, chunks[i].lexicalText());
        lengths[i] = terms.size();
        total += terms.size();
        for (String t : terms) {
          postings.computeIfAbsent(t, k -> new LinkedHashMap<>()).merge(i, 1, Integer::sum);
        }
      }
      averageLength = chunks.length == 0 ? 0 : (double) total / chunks.length;
    }
  }

  /** Lower score first; on equal scores the later reference first, so the earlier one is kept. */
  private static final java.util.Comparator<Hit> WORST_FIRST = (a, b) -> a.score() == b.score()
      ? Integer.compare(b.ref(), a.ref()) : Double.compare(a.score(), b.score());

  private final class StateView implements View {
    private final State state;

    StateView(State state) {
      this.state = state;
    }

    @Override
    public Snapshot snapshot() {
      return state.snapshot;
    }

    @Override
    public List<Hit> lexical(String text, int n, Scope scope) {
      Searchable s = state.searchable();
      Map<Integer, Double> scores = new HashMap<>();
      for (String term : Analysis.terms(analyzer, LuceneFields.CONTENT, text)) {
        Map<Integer, Integer> postings = s.postings.get(term);
        if (postings == null) {
          continue;
        }
        int df = postings.size();
        double idf = Math.log(1 + (s.chunks.length - df + 0.5) / (df + 0.5));
        for (Map.Entry<Integer, Integer> p : postings.entrySet()) {
          int i = p.getKey();
          if (!scope.admits(s.chunks[i])) {
            continue;
          }
          double tf = p.getValue();
          double norm = Analysis.K1 * (1 - Analysis.B + Analysis.B * s.lengths[i] / s.averageLength);
          scores.merge(i, idf * tf / (tf + norm), Double::sum);
        }
      }
      return top(scores, n, s);
    }

    @Override
    public List<Hit> dense(float[] vector, int n, Scope scope) {
      Searchable s = state.searchable();
      // Exact search: score every admitted chunk, keep the best n in a min-heap (worst on top).
      PriorityQueue<Hit> heap = new PriorityQueue<>(n + 1, WORST_FIRST);
      for (int i = 0; i < s.chunks.length; i++) {
        float[] v = s.chunks[i].vector();
        if (v == null || !scope.admits(s.chunks[i])) {
          continue;
        }
        double score = org.apache.lucene.util.VectorUtil.dotProduct(vector, v);
        if (heap.size() < n) {
          heap.add(new Hit(i, score));
        } else if (score > heap.peek().score()) {
          heap.poll();
          heap.add(new Hit(i, score));
        }
      }
      List<Hit> hits = new ArrayList<>(heap);
      hits.sort(WORST_FIRST.reversed());
      return hits;
    }

    private List<Hit> top(Map<Integer, Double> scores, int n, Searchable s) {
      PriorityQueue<Map.Entry<Integer, Double>> heap = new PriorityQueue<>(
          (a, b) -> a.getValue().equals(b.getValue()) ? Integer.compare(b.getKey(), a.getKey())
              : Double.compare(a.getValue(), b.getValue()));
      for (Map.Entry<Integer, Double> e : scores.entrySet()) {
        heap.add(e);
        if (heap.size() > n) {
          heap.poll();
        }
      }
      List<Hit> hits = new ArrayList<>(heap.size());
      while (!heap.isEmpty()) {
        Map.Entry<Integer, Double> e = heap.poll();
        hits.add(new Hit(e.getKey(), e.getValue()));
      }
      java.util.Collections.reverse(hits);
      return hits;
    }

    @Override
    public StoredChunk chunk(int ref) {
      return state.searchable().chunks[ref];
    }

    @Override
    public String documentId(int ref) {
      return chunk(ref).documentId();
    }

    @Override
    public Map<String, String> documentHashes() {
      Map<String, String> hashes = new HashMap<>();
      state.docs.forEach((id, d) -> hashes.put(id, d.hash));
      return hashes;
    }

    @Override
    public List<String> documentIds() {
      return List.copyOf(state.docs.keySet());
    }

    @Override
    public void close() {
      // Snapshots in memory are immutable; nothing to release.
    }
  }
}
