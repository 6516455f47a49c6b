package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Top-k vector search over synthetic, clustered 384-dimension vectors ({@link SyntheticVectors}): every library in
 * {@link #LIBRARIES} against exact brute-force search ({@link ExactSearch}), at each size, in one JVM run, one query at
 * a time on one thread. The libraries: LangChain4j's in-memory store, and the llmops index through its public API
 * ({@link LlmopsIndexSearch}: Lucene HNSW with float or int8 vectors, and the in-memory index's exact search).
 *
 * <p>Per library and size: recall@k against exact search (|library's top k ∩ exact top k| / k, averaged), queries/s,
 * that speed over exact search's, and the time to build the index. An approximate index is built once and measured at
 * each {@code --candidates} count (its search beam), a row each. Exact search answers every query (it is the ground
 * truth); another library answers queries in order until all are done or its time budget is spent, so a slow library
 * is measured on the first queries only, and the table says on how many. A library that declines a size (the
 * in-memory index when the heap is too small) is reported as skipped.
 */
final class VectorSearch {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The libraries compared with exact search, by the name {@code --libraries} selects them with. */
  static final Map<String, Function<Settings, VectorSearchSubject>> LIBRARIES = libraries();

  private static Map<String, Function<Settings, VectorSearchSubject>> libraries() {
    Map<String, Function<Settings, VectorSearchSubject>> libraries = new LinkedHashMap<>();
    libraries.put(LangChain4jInMemorySearch.NAME, s -> new LangChain4jInMemorySearch());
    for (LlmopsIndexSearch.Kind kind : LlmopsIndexSearch.Kind.values()) {
      libraries.put(kind.library, s -> new LlmopsIndexSearch(kind, s.indexRoot(), s.hnswMaxConnections(),
          s.hnswBeamWidth(), s.candidates().get(0)));
    }
    return libraries;
  }

  /**
   * Warm-up before each measurement: queries drawn apart from the measured ones, run in turn until at least
   * {@link #WARMUP_MIN_QUERIES} have run and {@code --warmup-seconds} have passed (a fast index runs hundreds, enough
   * for the JIT to compile its search; exact search at 1,000,000 vectors runs the minimum).
   */
  private static final int WARMUP_QUERIES = 100;

  private static final int WARMUP_MIN_QUERIES = 10;

  private VectorSearch() {}

  /**
   * @param candidates the candidate counts (HNSW search beam) an approximate index is measured at, one row each over
   *     one build; the first is also its default
   * @param hnswMaxConnections HNSW degree of the llmops Lucene index ({@code IndexSettings.hnsw})
   * @param hnswBeamWidth HNSW construction beam of the llmops Lucene index
   * @param indexRoot where the llmops Lucene indexes get their (temporary) directories
   */
  record Settings(List<Integer> sizes, int queries, int k, SyntheticVectors.Spec vectors, Duration budget,
      Duration warmup, Set<String> libraries, List<Integer> candidates, int hnswMaxConnections, int hnswBeamWidth,
      Path indexRoot, Path out) {
    static Settings parse(String[] args) {
      Set<String> known = new HashSet<>(SyntheticVectors.Spec.OPTIONS);
      known.addAll(List.of("--sizes", "--queries", "--k", "--budget-seconds", "--warmup-seconds", "--libraries",
          "--candidates", "--hnsw", "--index-dir", "--out"));
      Map<String, String> o = CommandOptions.parse(args, known);
      List<Integer> sizes = integers(o.getOrDefault("--sizes", "100000,1000000"));
      Set<String> libraries = new LinkedHashSet<>(List.of(o.getOrDefault("--libraries",
          String.join(",", LIBRARIES.keySet())).split(",")));
      libraries.remove("");
      List<Integer> hnsw = integers(o.getOrDefault("--hnsw", "16,100"));
      if (hnsw.size() != 2) {
        throw new IllegalArgumentException("--hnsw takes the degree and the construction beam, as 16,100; was "
            + o.get("--hnsw"));
      }
      Settings s = new Settings(sizes, Integer.parseInt(o.getOrDefault("--queries", "1000")),
          Integer.parseInt(o.getOrDefault("--k", "10")), SyntheticVectors.Spec.from(o),
          Duration.ofSeconds(Long.parseLong(o.getOrDefault("--budget-seconds", "60"))),
          Duration.ofSeconds(Long.parseLong(o.getOrDefault("--warmup-seconds", "3"))), libraries,
          integers(o.getOrDefault("--candidates", "100")), hnsw.get(0), hnsw.get(1),
          Path.of(o.getOrDefault("--index-dir", "target")), Path.of(o.getOrDefault("--out", "target/results")));
      if (s.queries < 1 || s.k < 1 || s.budget.isNegative() || s.budget.isZero() || s.warmup.isNegative()) {
        throw new IllegalArgumentException("--queries, --k and --budget-seconds must be positive and "
            + "--warmup-seconds not negative, were " + s.queries + ", " + s.k + ", " + s.budget.toSeconds() + " and "
            + s.warmup.toSeconds());
      }
      if (s.candidates.isEmpty() || s.candidates.stream().anyMatch(c -> c < s.k)) {
        throw new IllegalArgumentException("--candidates must be at least --k " + s.k + ", were " + s.candidates);
      }
      if (s.hnswMaxConnections < 2 || s.hnswBeamWidth < 1) {
        throw new IllegalArgumentException("--hnsw degree must be at least 2 and beam at least 1, were "
            + s.hnswMaxConnections + "," + s.hnswBeamWidth);
      }
      for (int size : sizes) {
        if (size < s.k) {
          throw new IllegalArgumentException("size " + size + " is smaller than --k " + s.k);
        }
      }
      for (String library : libraries) {
        if (!LIBRARIES.containsKey(library)) {
          throw new IllegalArgumentException("unknown library '" + library + "'; known: " + LIBRARIES.keySet());
        }
      }
      return s;
    }

    private static List<Integer> integers(String list) {
      return Arrays.stream(list.split(",")).map(String::strip).map(Integer::parseInt).toList();
    }
  }

  /**
   * One library at one size.
   *
   * @param candidates the candidates its search kept (HNSW beam), 0 for a library without the setting
   * @param queries how many queries were measured (the first ones)
   * @param recall mean recall@k against exact search over those queries
   * @param ratioToExact queries/s over exact search's queries/s at the same size
   * @param buildSeconds the time to index the vectors; the same for every candidates row of one build
   */
  record Row(String library, int size, int candidates, int queries, double recall, double queriesPerSecond,
      double ratioToExact, double buildSeconds) {}

  record Report(Settings settings, List<Row> rows, String machine, String notes) {
    String table() {
      SyntheticVectors.Spec v = settings.vectors();
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "vector-search: %d dims, %d clusters, spread %.2f, rank %d, isotropic "
          + "%.2f, seed %d; top %d; one query at a time, 1 thread; %s%n", v.dimension(), v.clusters(), v.spread(),
          v.rank(), v.isotropic(), v.seed(), settings.k(), machine));
      t.append(String.format(Locale.ROOT, "%-24s %10s %6s %8s %10s %10s %9s %9s%n", "library", "size", "cand.",
          "queries", "recall@" + settings.k(), "queries/s", "vs exact", "build s"));
      for (Row r : rows) {
        t.append(String.format(Locale.ROOT, "%-24s %,10d %6s %8d %10.4f %10.1f %9.2f %9.2f%n", r.library(), r.size(),
            r.candidates() == 0 ? "-" : Integer.toString(r.candidates()), r.queries(), r.recall(),
            r.queriesPerSecond(), r.ratioToExact(), r.buildSeconds()));
      }
      t.append(notes);
      return t.toString();
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("vector-search.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      SyntheticVectors.Spec v = settings.vectors();
      for (Row r : rows) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "vector-search");
        line.put("time", when);
        line.put("machine", machine);
        line.put("library", r.library());
        line.put("size", r.size());
        line.put("dimension", v.dimension());
        line.put("clusters", v.clusters());
        line.put("spread", v.spread());
        line.put("rank", v.rank());
        line.put("isotropic", v.isotropic());
        line.put("seed", v.seed());
        line.put("k", settings.k());
        if (r.candidates() > 0) {
          line.put("candidates", r.candidates());
          line.put("hnsw_max_connections", settings.hnswMaxConnections());
          line.put("hnsw_beam_width", settings.hnswBeamWidth());
        }
        line.put("queries", r.queries());
        line.put("recall", r.recall());
        line.put("queries_per_second", r.queriesPerSecond());
        line.put("ratio_to_exact", r.ratioToExact());
        line.put("build_seconds", r.buildSeconds());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      return file;
    }
  }

  static Report run(Settings settings) throws IOException {
    SyntheticVectors generator = new SyntheticVectors(settings.vectors());
    int dimension = settings.vectors().dimension();
    checkHeap(settings);
    VectorSet queries = generator.generate(SyntheticVectors.Draw.QUERIES, settings.queries());
    VectorSet warmup = generator.generate(SyntheticVectors.Draw.WARMUP, WARMUP_QUERIES);
    List<Row> rows = new ArrayList<>();
    StringBuilder notes = new StringBuilder();
    for (int size : settings.sizes()) {
      long start = System.nanoTime();
      VectorSet base = generator.generate(SyntheticVectors.Draw.BASE, size);
      double generated = seconds(start);
      System.err.printf(Locale.ROOT, "%,d x %d vectors generated in %.1f s%n", size, dimension, generated);

      int[][] truth = new int[queries.size()][];
      Row exact;
      try (ExactSearch search = new ExactSearch()) {
        start = System.nanoTime();
        search.build(base);
        double build = seconds(start);
        warm(search, warmup, settings, 0);
        start = System.nanoTime();
        for (int q = 0; q < queries.size(); q++) {
          truth[q] = search.search(queries.get(q), settings.k());
        }
        double qps = queries.size() / seconds(start);
        exact = new Row(ExactSearch.NAME, size, 0, queries.size(), 1.0, qps, 1.0, build);
      }
      rows.add(exact);
      report(exact);
      for (String library : settings.libraries()) {
        try (VectorSearchSubject subject = LIBRARIES.get(library).apply(settings)) {
          Optional<String> declined = subject.declines(size, dimension);
          if (declined.isPresent()) {
            notes.append(String.format(Locale.ROOT, "%s at %,d: skipped, %s.%n", library, size, declined.get()));
            System.err.printf(Locale.ROOT, "%s at %,d: skipped, %s%n", library, size, declined.get());
            continue;
          }
          for (Row row : measure(subject, base, queries, warmup, truth, settings, exact.queriesPerSecond())) {
            rows.add(row);
            report(row);
            if (row.queries() < queries.size()) {
              notes.append(String.format(Locale.ROOT, "%s at %,d: measured on the first %d of %d queries (%d s "
                  + "budget).%n", row.library(), size, row.queries(), queries.size(), settings.budget().toSeconds()));
            }
          }
          if (subject instanceof LlmopsIndexSearch llmops) {
            notes.append(llmops.describe()).append('\n');
          }
        }
      }
      notes.append(String.format(Locale.ROOT, "%,d vectors generated in %.1f s.%n", size, generated));
    }
    notes.append("exact: brute force, Lucene VectorUtil.dotProduct, ").append(vectorization()).append(".\n");
    notes.append("recall@k: |library top k ∩ exact top k| / k per query, averaged; exact ranks equal scores by id. "
        + "queries/s: one thread, one query at a time, after warm-up queries (other than the measured ones) for "
        + "at least ").append(settings.warmup().toSeconds()).append(" s and ").append(WARMUP_MIN_QUERIES)
        .append(" queries.\n");
    String machine = Runtime.getRuntime().availableProcessors() + " cpus, Java " + Runtime.version() + ", "
        + System.getProperty("os.arch") + ", heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB";
    return new Report(settings, rows, machine, notes.toString());
  }

  /** Builds once, then measures the subject at each candidate count it tunes, or once if it has none. */
  private static List<Row> measure(VectorSearchSubject subject, VectorSet base, VectorSet queries, VectorSet warmup,
      int[][] truth, Settings settings, double exactQps) throws IOException {
    long start = System.nanoTime();
    subject.build(base);
    double build = seconds(start);
    System.err.printf(Locale.ROOT, "%s at %,d: built in %.1f s%n", subject.name(), base.size(), build);
    List<Row> rows = new ArrayList<>();
    for (int candidates : subject.tunesCandidates() ? settings.candidates() : List.of(0)) {
      int k = settings.k();
      warm(subject, warmup, settings, candidates);
      long budget = settings.budget().toNanos();
      double recall = 0;
      int done = 0;
      start = System.nanoTime();
      long elapsed = 0;
      while (done < queries.size() && elapsed < budget) {
        int[] found = subject.search(queries.get(done), k, Math.max(candidates, k));
        elapsed = System.nanoTime() - start;
        recall += recall(found, truth[done], k);
        done++;
      }
      double qps = done / (elapsed / 1e9);
      rows.add(new Row(subject.name(), base.size(), candidates, done, recall / done, qps, qps / exactQps, build));
    }
    return rows;
  }

  /** The share of {@code expected}'s first k ids found among {@code found}'s first k. */
  static double recall(int[] found, int[] expected, int k) {
    int hits = 0;
    int n = Math.min(k, expected.length);
    for (int i = 0; i < Math.min(k, found.length); i++) {
      for (int j = 0; j < n; j++) {
        if (found[i] == expected[j]) {
          hits++;
          break;
        }
      }
    }
    return (double) hits / n;
  }

  private static void warm(VectorSearchSubject subject, VectorSet warmup, Settings settings, int candidates) {
    long start = System.nanoTime();
    long time = settings.warmup().toNanos();
    for (int i = 0; i < WARMUP_MIN_QUERIES || System.nanoTime() - start < time; i++) {
      subject.search(warmup.get(i % warmup.size()), settings.k(), Math.max(candidates, settings.k()));
    }
  }

  /**
   * Fails before generating anything when the largest size cannot fit in this JVM's heap; the heap it suggests is
   * twice the estimate, room for the collector's young generation (1,000,000 vectors: 4 GB).
   */
  private static void checkHeap(Settings settings) {
    int largest = settings.sizes().stream().mapToInt(Integer::intValue).max().orElse(0);
    // The vectors, plus about 150 bytes per vector for a library's own entries (LangChain4j: entry, embedding, id).
    long needed = VectorSet.heapBytes(largest, settings.vectors().dimension()) + 150L * largest + (128L << 20);
    long max = Runtime.getRuntime().maxMemory();
    if (max < needed) {
      throw new IllegalStateException(String.format(Locale.ROOT, "%,d vectors of %d dimensions need about %,d MiB "
          + "of heap; this JVM has %,d MiB. Give it more (-Dbench.jvm=\"-Xmx%dg\" through Maven, -Xmx for java).",
          largest, settings.vectors().dimension(), needed >> 20, max >> 20, (2 * needed + (1L << 30) - 1) >> 30));
    }
  }

  /** Whether Lucene can use SIMD for its dot product in this JVM. */
  private static String vectorization() {
    boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    return "Java " + Runtime.version().feature() + (module ? ", jdk.incubator.vector present (SIMD if Lucene supports "
        + "this Java)" : ", without jdk.incubator.vector (scalar loop)");
  }

  private static void report(Row r) {
    System.err.printf(Locale.ROOT, "%s at %,d%s: %.1f queries/s, recall@k %.4f over %d queries, build %.2f s%n",
        r.library(), r.size(), r.candidates() > 0 ? ", candidates " + r.candidates() : "", r.queriesPerSecond(),
        r.recall(), r.queries(), r.buildSeconds());
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
