package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.llmops.benchmarks.retrieval.Qrels;
import dev.llmops.benchmarks.retrieval.RetrievalMetrics;
import dev.llmops.benchmarks.retrieval.TrecRun;
import dev.llmops.core.retrieval.RetrievalQuery;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import dev.llmops.rag.chunk.RecursiveChunker;
import dev.llmops.rag.document.JsonLinesCorpus;
import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.Fusion;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.IngestReport;
import dev.llmops.rag.index.SearchMode;
import dev.llmops.rag.index.SearchRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Retrieval quality and speed on a BEIR data set (SciFact by default), end to end, as a user would run it:
 *
 * <ul>
 *   <li><b>llmops</b>: {@code corpus.jsonl} through {@link JsonLinesCorpus} into {@link DocumentIndex#lucene} (a new
 *       directory) with {@link OnnxEmbeddingModel} (built-in all-MiniLM-L6-v2, fp32, or its int8 file with
 *       {@code --model all-minilm-l6-v2-q}) and {@code RecursiveChunker.of(model.tokenCounter())} (254 tokens, an
 *       eighth of overlap, the title embedded in front of every chunk). The ingestion stores BM25 postings, the HNSW
 *       graph, stored chunks and content hashes, and commits a snapshot. Then every query in each mode (BM25, dense,
 *       hybrid RRF and convex) with {@code onePerDocument(true)}, {@code topK} 100 and 300 candidates.
 *   <li><b>LangChain4j</b>, what a user would pick instead: {@code DocumentSplitters.recursive(tokens, tokens / 8,
 *       new HuggingFaceTokenCountEstimator())}, {@code AllMiniLmL6V2EmbeddingModel} (or the quantized one) and an
 *       {@link InMemoryEmbeddingStore} through {@link EmbeddingStoreIngestor}; each document is its title, a line
 *       break and its text, with its id in the metadata. Dense search only (the store has no BM25):
 *       {@code search} with {@code maxResults} = candidates, grouped by document (best segment), top 100.
 * </ul>
 *
 * <p>Per side: ingestion documents/s and chunks/s, with the time inside the embedding model apart from the rest;
 * per side and mode: nDCG@10 and recall@100 ({@link RetrievalMetrics}, trec_eval's definitions) of a TREC run written
 * to the out directory, and query latency (mean, p50, p99) and queries/s, one query at a time on one thread, the query
 * embedding included.
 */
final class RetrievalQuality {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Queries each mode runs before its timed pass (the timed pass runs them all again). */
  private static final int WARMUP_QUERIES = 20;

  private RetrievalQuality() {}

  /** A search mode of the llmops index, by the name {@code --modes} selects it with. */
  record Mode(String name, SearchMode mode, @Nullable Fusion fusion) {
    static Mode parse(String name) {
      return switch (name) {
        case "bm25" -> new Mode(name, SearchMode.BM25, null);
        case "dense" -> new Mode(name, SearchMode.DENSE, null);
        case "hybrid-rrf" -> new Mode(name, SearchMode.HYBRID, Fusion.reciprocalRank(60));
        default -> {
          if (name.startsWith("hybrid-convex-")) {
            yield new Mode(name, SearchMode.HYBRID, Fusion.convex(Double.parseDouble(name.substring(14))));
          }
          throw new IllegalArgumentException("unknown mode '" + name + "'; known: bm25, dense, hybrid-rrf, "
              + "hybrid-convex-W (W the dense weight, as hybrid-convex-0.5)");
        }
      };
    }
  }

  /**
   * @param data the BEIR folder: corpus.jsonl, queries-train.jsonl, qrels-train.tsv
   * @param model llmops' built-in model name; LangChain4j runs the same file
   * @param langchain4jSegments LangChain4j's segment sizes in tokens, one ingestion each; empty to skip that side
   * @param maxQueries how many queries to run, the first ones (0: all)
   * @param maxDocuments how many corpus lines to index, the first ones (0: all; fewer only to try the command out,
   *     the scores then mean nothing)
   * @param indexRoot where the Lucene index gets its (temporary) directory
   */
  record Settings(Path data, String model, int candidates, int topK, List<Mode> modes, List<Integer> langchain4jSegments,
      int maxQueries, int maxDocuments, Path indexRoot, Path out) {
    static Settings parse(String[] args) {
      Map<String, String> o = CommandOptions.parse(args, Set.of("--data", "--model", "--candidates", "--top",
          "--modes", "--langchain4j-segments", "--queries", "--docs", "--index-dir", "--out"));
      String model = o.getOrDefault("--model", "all-minilm-l6-v2");
      if (!model.equals("all-minilm-l6-v2") && !model.equals("all-minilm-l6-v2-q")) {
        throw new IllegalArgumentException("--model must be all-minilm-l6-v2 (fp32) or all-minilm-l6-v2-q (int8), "
            + "the files both sides can run; was " + model);
      }
      String segments = o.getOrDefault("--langchain4j-segments", "254");
      Settings s = new Settings(Path.of(o.getOrDefault("--data", "../../shared/data/scifact")), model,
          Integer.parseInt(o.getOrDefault("--candidates", "300")), Integer.parseInt(o.getOrDefault("--top", "100")),
          Arrays.stream(o.getOrDefault("--modes", "bm25,dense,hybrid-rrf,hybrid-convex-0.3,hybrid-convex-0.5,"
              + "hybrid-convex-0.7").split(",")).map(String::strip).map(Mode::parse).toList(),
          segments.equals("none") ? List.of()
              : Arrays.stream(segments.split(",")).map(String::strip).map(Integer::parseInt).toList(),
          Integer.parseInt(o.getOrDefault("--queries", "0")), Integer.parseInt(o.getOrDefault("--docs", "0")),
          Path.of(o.getOrDefault("--index-dir", "target")),
          Path.of(o.getOrDefault("--out", "target/results")));
      if (s.candidates < 1 || s.topK < 1 || s.maxQueries < 0 || s.maxDocuments < 0 || s.modes.isEmpty()) {
        throw new IllegalArgumentException("--candidates and --top must be positive, --queries and --docs 0 or more, "
            + "and --modes not empty; were " + s.candidates + ", " + s.topK + ", " + s.maxQueries + ", "
            + s.maxDocuments + ", " + s.modes);
      }
      if (s.langchain4jSegments.stream().anyMatch(t -> t < 8)) {
        throw new IllegalArgumentException("--langchain4j-segments must be at least 8 tokens each (or none), were "
            + s.langchain4jSegments);
      }
      return s;
    }

    Path corpus() {
      return data.resolve("corpus.jsonl");
    }

    Path queries() {
      return data.resolve("queries-train.jsonl");
    }

    Path qrels() {
      return data.resolve("qrels-train.tsv");
    }
  }

  /**
   * What is missing for a run, said so that the person who runs it knows what to fetch; empty when nothing is.
   */
  static Optional<String> missingData(Settings settings) {
    List<String> missing = Stream.of(settings.corpus(), settings.queries(), settings.qrels())
        .filter(p -> !Files.isRegularFile(p)).map(p -> p.getFileName().toString()).toList();
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("SciFact not found at " + settings.data().toAbsolutePath().normalize() + " (missing "
        + String.join(", ", missing) + "); this benchmark needs ../shared/data/scifact (BEIR's corpus.jsonl, "
        + "queries-train.jsonl and qrels-train.tsv), or another BEIR folder given with --data DIR");
  }

  /**
   * One ingestion.
   *
   * @param side who ingested, and how
   * @param documents documents indexed
   * @param chunks chunks (segments) embedded
   * @param totalSeconds wall time of the whole ingestion, reading the corpus file included
   * @param embeddingSeconds of that, time inside the embedding model
   * @param indexBytes the index on disk (0 in memory)
   */
  record Ingestion(String side, int documents, int chunks, double totalSeconds, double embeddingSeconds,
      long indexBytes) {
    double documentsPerSecond() {
      return documents / totalSeconds;
    }

    double chunksPerSecond() {
      return chunks / totalSeconds;
    }

    /** Documents per second of everything but the embedding model: reading, chunking, indexing, committing. */
    double documentsPerSecondOutsideEmbedding() {
      return documents / (totalSeconds - embeddingSeconds);
    }
  }

  /**
   * One side and mode over all queries.
   *
   * @param run the TREC run file written
   * @param queries the queries averaged (those of the qrels with a relevant document)
   * @param missing of those, queries the run has no line for (scored 0)
   */
  record Quality(String side, String mode, double ndcg10, double recall100, int queries, int missing, double meanMs,
      double p50Ms, double p99Ms, double queriesPerSecond, Path run) {}

  record Report(Settings settings, int corpusDocuments, int queriesRun, List<Ingestion> ingestions,
      List<Quality> qualities, String machine, String notes) {
    String table() {
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "retrieval-quality: %s, %,d documents, %d queries; %s; top %d, %d "
          + "candidates, one per document; %s%n", settings.data(), corpusDocuments, queriesRun, settings.model(),
          settings.topK(), settings.candidates(), machine));
      t.append(String.format(Locale.ROOT, "%-34s %7s %7s %8s %8s %8s %8s %9s %12s %9s%n", "ingestion", "docs",
          "chunks", "total s", "embed s", "other s", "docs/s", "chunks/s", "docs/s other", "index MiB"));
      for (Ingestion i : ingestions) {
        t.append(String.format(Locale.ROOT, "%-34s %,7d %,7d %8.1f %8.1f %8.1f %8.1f %9.1f %12.1f %9s%n", i.side(),
            i.documents(), i.chunks(), i.totalSeconds(), i.embeddingSeconds(), i.totalSeconds() - i.embeddingSeconds(),
            i.documentsPerSecond(), i.chunksPerSecond(), i.documentsPerSecondOutsideEmbedding(),
            i.indexBytes() == 0 ? "-" : Long.toString(i.indexBytes() >> 20)));
      }
      t.append(String.format(Locale.ROOT, "%-34s %-18s %8s %10s %8s %8s %8s %9s%n", "search", "mode", "nDCG@10",
          "recall@100", "mean ms", "p50 ms", "p99 ms", "queries/s"));
      for (Quality q : qualities) {
        t.append(String.format(Locale.ROOT, "%-34s %-18s %8.4f %10.4f %8.2f %8.2f %8.2f %9.1f%n", q.side(), q.mode(),
            q.ndcg10(), q.recall100(), q.meanMs(), q.p50Ms(), q.p99Ms(), q.queriesPerSecond()));
      }
      t.append(notes);
      return t.toString();
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("retrieval-quality.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Ingestion i : ingestions) {
        Map<String, Object> line = base("retrieval-quality-ingestion", when);
        line.put("side", i.side());
        line.put("documents", i.documents());
        line.put("chunks", i.chunks());
        line.put("total_seconds", i.totalSeconds());
        line.put("embedding_seconds", i.embeddingSeconds());
        line.put("documents_per_second", i.documentsPerSecond());
        line.put("chunks_per_second", i.chunksPerSecond());
        line.put("documents_per_second_outside_embedding", i.documentsPerSecondOutsideEmbedding());
        line.put("index_bytes", i.indexBytes());
        lines.add(JSON.writeValueAsString(line));
      }
      for (Quality q : qualities) {
        Map<String, Object> line = base("retrieval-quality", when);
        line.put("side", q.side());
        line.put("mode", q.mode());
        line.put("ndcg_cut_10", q.ndcg10());
        line.put("recall_100", q.recall100());
        line.put("queries", q.queries());
        line.put("missing", q.missing());
        line.put("mean_ms", q.meanMs());
        line.put("p50_ms", q.p50Ms());
        line.put("p99_ms", q.p99Ms());
        line.put("queries_per_second", q.queriesPerSecond());
        line.put("run", q.run().toString());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      return file;
    }

    private Map<String, Object> base(String benchmark, String when) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("benchmark", benchmark);
      line.put("time", when);
      line.put("machine", machine);
      line.put("data", settings.data().toString());
      line.put("model", settings.model());
      line.put("top", settings.topK());
      line.put("candidates", settings.candidates());
      return line;
    }
  }

  /** A query of the data set. */
  record Query(String id, String text) {}

  static Report run(Settings settings) throws IOException {
    Optional<String> missing = missingData(settings);
    if (missing.isPresent()) {
      throw new IllegalStateException(missing.get());
    }
    Qrels qrels = Qrels.read(settings.qrels());
    List<Query> queries = readQueries(settings.queries());
    if (settings.maxQueries() > 0 && queries.size() > settings.maxQueries()) {
      queries = queries.subList(0, settings.maxQueries());
    }
    Path runs = settings.out().resolve("runs");
    Files.createDirectories(runs);
    List<Ingestion> ingestions = new ArrayList<>();
    List<Quality> qualities = new ArrayList<>();
    StringBuilder notes = new StringBuilder();
    int corpusDocuments;

    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(ModelSource.builtIn(settings.model()))
        .build()) {
      RecursiveChunker chunker = RecursiveChunker.of(model.tokenCounter());
      model.embed("warm-up"); // loads the session before anything is timed
      IndexSettings indexSettings = IndexSettings.builder()
          .embeddingModel(model)
          .chunker(chunker)
          .candidates(settings.candidates())
          .build();
      Files.createDirectories(settings.indexRoot());
      Path dir = Files.createTempDirectory(settings.indexRoot(), "retrieval-quality-");
      try {
        IngestReport report;
        try (DocumentIndex index = DocumentIndex.lucene(dir, indexSettings)) {
          try (JsonLinesCorpus corpus = JsonLinesCorpus.open(settings.corpus())) {
            report = index.upsert(settings.maxDocuments() == 0 ? corpus
                : () -> StreamSupport.stream(corpus.spliterator(), false).limit(settings.maxDocuments()).iterator());
            if (!corpus.failures().isEmpty()) {
              notes.append(String.format(Locale.ROOT, "llmops: %d corpus lines failed to load, first: %s%n",
                  corpus.failures().size(), corpus.failures().get(0)));
            }
          }
          if (report.failed() > 0) {
            notes.append(String.format(Locale.ROOT, "llmops: %d documents refused, first: %s%n", report.failed(),
                report.failures().get(0)));
          }
          corpusDocuments = report.added() + report.failed();
          String side = "llmops lucene (" + (settings.model().endsWith("-q") ? "int8" : "fp32") + ")";
          ingestions.add(new Ingestion(side, report.added(), report.chunksEmbedded(),
              report.totalTime().toNanos() / 1e9, report.embeddingTime().toNanos() / 1e9, Directories.size(dir)));
          System.err.printf(Locale.ROOT, "llmops ingestion: %s in %.1f s%n", report, report.totalTime().toMillis()
              / 1e3);
          for (Mode mode : settings.modes()) {
            Quality q = measure(side, mode.name(), queries, qrels, runs, settings.topK(),
                text -> search(index, text, mode, settings));
            qualities.add(q);
            System.err.printf(Locale.ROOT, "llmops %s: nDCG@10 %.4f, recall@100 %.4f, %.1f queries/s%n",
                mode.name(), q.ndcg10(), q.recall100(), q.queriesPerSecond());
          }
        }
      } finally {
        Directories.delete(dir);
      }
      notes.append(String.format(Locale.ROOT, "llmops: %s, %s; BM25 over title and chunk; HNSW degree 16, beam 100; "
          + "every chunk also stores its text, span, title, source, access fields and its document's content hash; "
          + "one snapshot commit.%n", model.modelId(), chunker));
    }

    for (int tokens : settings.langchain4jSegments()) {
      LangChain4jSide theirs = new LangChain4jSide(settings.model().endsWith("-q"), tokens, tokens / 8);
      Ingestion ingestion = theirs.ingest(settings.corpus(), settings.maxDocuments());
      ingestions.add(ingestion);
      System.err.printf(Locale.ROOT, "%s ingestion: %d segments in %.1f s%n", ingestion.side(), ingestion.chunks(),
          ingestion.totalSeconds());
      Quality q = measure(ingestion.side(), "dense", queries, qrels, runs, settings.topK(),
          text -> theirs.search(text, settings.candidates(), settings.topK()));
      qualities.add(q);
      System.err.printf(Locale.ROOT, "%s dense: nDCG@10 %.4f, recall@100 %.4f%n", ingestion.side(), q.ndcg10(),
          q.recall100());
    }
    if (!settings.langchain4jSegments().isEmpty()) {
      notes.append("langchain4j: DocumentSplitters.recursive(N, N / 8, HuggingFaceTokenCountEstimator), "
          + "AllMiniLmL6V2" + (settings.model().endsWith("-q") ? "Quantized" : "") + "EmbeddingModel (its "
          + "tokenizer keeps the first 128 tokens of a segment), InMemoryEmbeddingStore (vectors and segments in a "
          + "list); a document is title + line break + text; search: maxResults " + settings.candidates()
          + " segments, best segment per document.\n");
    }
    notes.append("docs/s other: documents over the ingestion time outside the embedding model (reading, chunking, "
        + "indexing, committing). Latency: one query at a time, one thread, query embedding included, after "
        + WARMUP_QUERIES + " warm-up queries per mode.\n");
    String machine = Runtime.getRuntime().availableProcessors() + " cpus, Java " + Runtime.version() + ", "
        + System.getProperty("os.arch");
    return new Report(settings, corpusDocuments, queries.size(), ingestions, qualities, machine, notes.toString());
  }

  static List<TrecRun.ScoredDoc> search(DocumentIndex index, String text, Mode mode, Settings settings) {
    SearchRequest.Builder request = SearchRequest.builder(RetrievalQuery.of(text, settings.topK()))
        .mode(mode.mode()).candidates(settings.candidates()).onePerDocument(true);
    if (mode.fusion() != null) {
      request.fusion(mode.fusion());
    }
    List<RetrievedChunk> chunks = index.search(request.build());
    List<TrecRun.ScoredDoc> docs = new ArrayList<>(chunks.size());
    for (RetrievedChunk c : chunks) {
      docs.add(new TrecRun.ScoredDoc(c.citation().documentId(), c.score()));
    }
    return docs;
  }

  /**
   * Runs every query through {@code search} (after a warm-up), writes the run, and scores it.
   */
  static Quality measure(String side, String mode, List<Query> queries, Qrels qrels, Path runs, int topK,
      Function<String, List<TrecRun.ScoredDoc>> search) throws IOException {
    for (int i = 0; i < Math.min(WARMUP_QUERIES, queries.size()); i++) {
      search.apply(queries.get(i).text());
    }
    Map<String, List<TrecRun.ScoredDoc>> retrieved = new LinkedHashMap<>();
    long[] nanos = new long[queries.size()];
    long start = System.nanoTime();
    for (int i = 0; i < queries.size(); i++) {
      Query q = queries.get(i);
      long t0 = System.nanoTime();
      List<TrecRun.ScoredDoc> docs = search.apply(q.text());
      nanos[i] = System.nanoTime() - t0;
      retrieved.put(q.id(), docs.size() > topK ? docs.subList(0, topK) : docs);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // "llmops lucene (fp32)" and "dense" give the tag and file name llmops-lucene-fp32-dense.
    String tag = (side + " " + mode).replaceAll("[^A-Za-z0-9.]+", "-").replaceAll("^-|-$", "");
    TrecRun run = TrecRun.of(tag, retrieved);
    Path file = runs.resolve(tag + ".trec");
    run.write(file);
    RetrievalMetrics.Scores ndcg = RetrievalMetrics.ndcg(qrels, run, 10);
    RetrievalMetrics.Scores recall = RetrievalMetrics.recall(qrels, run, 100);
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
    return new Quality(side, mode, ndcg.mean(), recall.mean(), ndcg.queries(), ndcg.missingFromRun(), mean,
        percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, queries.size() / seconds, file);
  }

  /** The nearest-rank percentile of ascending values. */
  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static List<Query> readQueries(Path file) throws IOException {
    List<Query> queries = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode row = JSON.readTree(lines.get(i));
      String id = row.path("_id").asText();
      String text = row.path("text").asText();
      if (id.isBlank() || text.isBlank()) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": a query needs an _id and a text");
      }
      queries.add(new Query(id, text));
    }
    return queries;
  }




  /**
   * LangChain4j's ingestion and dense search, as its documentation puts them together. The embedding model is
   * wrapped to time it and count the segments; nothing else is changed.
   */
  static final class LangChain4jSide {
    private static final String DOC_ID = "doc_id";

    private final dev.langchain4j.model.embedding.EmbeddingModel model;
    private final DocumentSplitter splitter;
    private final String side;
    private final InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();

    LangChain4jSide(boolean quantized, int segmentTokens, int overlapTokens) {
      this.model = quantized ? new AllMiniLmL6V2QuantizedEmbeddingModel() : new AllMiniLmL6V2EmbeddingModel();
      this.splitter = DocumentSplitters.recursive(segmentTokens, overlapTokens, new HuggingFaceTokenCountEstimator());
      this.side = "langchain4j in-memory (" + (quantized ? "int8" : "fp32") + ", " + segmentTokens + " tok)";
      model.embed("warm-up"); // loads the session before anything is timed
    }

    /** Reads, splits, embeds and stores the first {@code maxDocuments} lines of the corpus (0: all). */
    Ingestion ingest(Path corpus, int maxDocuments) throws IOException {
      TimedModel timed = new TimedModel(model);
      long start = System.nanoTime();
      List<dev.langchain4j.data.document.Document> documents = new ArrayList<>();
      for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
        if (line.isBlank() || maxDocuments > 0 && documents.size() == maxDocuments) {
          continue;
        }
        JsonNode row = JSON.readTree(line);
        String title = row.path("title").asText("");
        String text = title.isBlank() ? row.path("text").asText() : title + "\n" + row.path("text").asText();
        if (!text.isBlank()) {
          documents.add(dev.langchain4j.data.document.Document.from(text,
              Metadata.from(DOC_ID, row.path("_id").asText())));
        }
      }
      EmbeddingStoreIngestor.builder().documentSplitter(splitter).embeddingModel(timed).embeddingStore(store)
          .build().ingest(documents);
      double total = (System.nanoTime() - start) / 1e9;
      return new Ingestion(side, documents.size(), timed.segments.get(), total, timed.nanos.get() / 1e9, 0);
    }

    List<TrecRun.ScoredDoc> search(String text, int candidates, int topK) {
      Embedding query = model.embed(text).content();
      List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
          .queryEmbedding(query).maxResults(candidates).build()).matches();
      Map<String, Double> best = new LinkedHashMap<>();
      for (EmbeddingMatch<TextSegment> m : matches) { // best first: the first segment of a document is its best
        best.putIfAbsent(m.embedded().metadata().getString(DOC_ID), m.score());
      }
      List<TrecRun.ScoredDoc> docs = new ArrayList<>(Math.min(topK, best.size()));
      for (Map.Entry<String, Double> e : best.entrySet()) {
        if (docs.size() == topK) {
          break;
        }
        docs.add(new TrecRun.ScoredDoc(e.getKey(), e.getValue()));
      }
      return docs;
    }
  }

  /** Times LangChain4j's embedding model and counts what it embeds. */
  private static final class TimedModel implements dev.langchain4j.model.embedding.EmbeddingModel {
    final dev.langchain4j.model.embedding.EmbeddingModel delegate;
    final AtomicLong nanos = new AtomicLong();
    final AtomicInteger segments = new AtomicInteger();

    TimedModel(dev.langchain4j.model.embedding.EmbeddingModel delegate) {
      this.delegate = delegate;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> textSegments) {
      long start = System.nanoTime();
      try {
        return delegate.embedAll(textSegments);
      } finally {
        nanos.addAndGet(System.nanoTime() - start);
        segments.addAndGet(textSegments.size());
      }
    }

    @Override
    public int dimension() {
      return delegate.dimension();
    }
  }
}
