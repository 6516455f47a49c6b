package dev.llmops.benchmarks;

import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import dev.llmops.rag.chunk.RecursiveChunker;
import dev.llmops.rag.document.JsonLinesCorpus;
import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.IndexSettings;
import dev.llmops.rag.index.IngestReport;
import dev.llmops.rag.solr.CollectionLayout;
import dev.llmops.rag.solr.SolrCloud;
import dev.llmops.benchmarks.RetrievalQuality.Mode;
import dev.llmops.benchmarks.RetrievalQuality.Quality;
import dev.llmops.benchmarks.RetrievalQuality.Query;
import dev.llmops.benchmarks.retrieval.Qrels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * {@code solr-equivalence}: SciFact indexed into the embedded Lucene index and into a SolrCloud index on a
 * {@code MiniSolrCloudCluster} started in this JVM (real Solr nodes and ZooKeeper on loopback, by default 2 nodes and
 * collections of 2 shards x 2 replicas), both through the same {@link DocumentIndex} engine and settings; reports
 * nDCG@10 per mode for both and the difference, query latency and ingestion throughput.
 *
 * <p>Vectors are computed once: a cache in front of the embedding model serves the second index and every query,
 * and the queries are embedded before any is timed, so latencies measure the indexes (the query embedding excluded)
 * and ingestion is compared as documents per second outside the embedding model.
 */
final class SolrEquivalence {

  private SolrEquivalence() {}

  record Settings(Path data, String model, int candidates, int topK, List<Mode> modes, int maxQueries,
      int maxDocuments, int nodes, int shards, int replicas, Path indexRoot, Path out) {
    static Settings parse(String[] args) {
      Map<String, String> o = CommandOptions.parse(args, Set.of("--data", "--model", "--candidates", "--top",
          "--modes", "--queries", "--docs", "--nodes", "--shards", "--replicas", "--index-dir", "--out"));
      Settings s = new Settings(Path.of(o.getOrDefault("--data", "../../shared/data/scifact")),
          o.getOrDefault("--model", "all-minilm-l6-v2"), Integer.parseInt(o.getOrDefault("--candidates", "100")),
          Integer.parseInt(o.getOrDefault("--top", "100")),
          Arrays.stream(o.getOrDefault("--modes", "bm25,dense,hybrid-rrf").split(",")).map(String::strip)
              .map(Mode::parse).toList(),
          Integer.parseInt(o.getOrDefault("--queries", "0")), Integer.parseInt(o.getOrDefault("--docs", "0")),
          Integer.parseInt(o.getOrDefault("--nodes", "2")), Integer.parseInt(o.getOrDefault("--shards", "2")),
          Integer.parseInt(o.getOrDefault("--replicas", "2")), Path.of(o.getOrDefault("--index-dir", "target")),
          Path.of(o.getOrDefault("--out", "target/results")));
      if (s.candidates < 1 || s.topK < 1 || s.maxQueries < 0 || s.maxDocuments < 0 || s.nodes < 1 || s.shards < 1
          || s.replicas < 1 || s.modes.isEmpty()) {
        throw new IllegalArgumentException("--candidates, --top, --nodes, --shards and --replicas must be positive, "
            + "--queries and --docs 0 or more, --modes not empty; were " + s);
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

  /** What is missing for a run, naming the files; empty when nothing is. */
  static Optional<String> missingData(Settings settings) {
    List<String> missing = Stream.of(settings.corpus(), settings.queries(), settings.qrels())
        .filter(p -> !Files.isRegularFile(p)).map(p -> p.toAbsolutePath().toString()).toList();
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("solr-equivalence needs the SciFact data set (BEIR layout) in " + settings.data()
        .toAbsolutePath() + "; missing: " + String.join(", ", missing) + ". Put corpus.jsonl, queries-train.jsonl and "
        + "qrels-train.tsv there (../shared/data/scifact in the shared folder), or give another BEIR folder with "
        + "--data DIR");
  }

  record Ingestion(String side, int documents, int chunks, double totalSeconds, double embeddingSeconds) {
    double documentsPerSecondOutsideEmbedding() {
      double s = totalSeconds - embeddingSeconds;
      return s > 0 ? documents / s : Double.NaN;
    }
  }

  record Report(Settings settings, int queries, List<Ingestion> ingestions, List<Quality> lucene,
      List<Quality> solr, String machine) {
    String table() {
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "solr-equivalence: %s, %d queries; %s; top %d, %d candidates, one per "
          + "document; SolrCloud: %d nodes, %d shards x %d replicas; %s%n", settings.data(), queries, settings.model(),
          settings.topK(), settings.candidates(), settings.nodes(), settings.shards(), settings.replicas(), machine));
      t.append(String.format(Locale.ROOT, "| mode | nDCG@10 lucene | nDCG@10 solr | diff | p50 ms lucene | p99 ms lucene "
          + "| p50 ms solr | p99 ms solr |%n|---|---|---|---|---|---|---|---|%n"));
      for (int i = 0; i < lucene.size(); i++) {
        Quality l = lucene.get(i);
        Quality s = solr.get(i);
        t.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %+.4f | %.1f | %.1f | %.1f | %.1f |%n", l.mode(),
            l.ndcg10(), s.ndcg10(), s.ndcg10() - l.ndcg10(), l.p50Ms(), l.p99Ms(), s.p50Ms(), s.p99Ms()));
      }
      t.append(String.format(Locale.ROOT, "%n| index | documents | chunks | total s | embedding s | docs/s outside "
          + "embedding |%n|---|---|---|---|---|---|%n"));
      for (Ingestion i : ingestions) {
        t.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.1f | %.1f | %.0f |%n", i.side(), i.documents(),
            i.chunks(), i.totalSeconds(), i.embeddingSeconds(), i.documentsPerSecondOutsideEmbedding()));
      }
      t.append("Latency: one query at a time on one thread, query vectors computed before timing, 20 warm-up queries "
          + "per mode. The Solr index's embedding time is ~0: it reuses the Lucene run's vectors.\n");
      return t.toString();
    }

    Path write(Path out) throws IOException {
      Files.createDirectories(out);
      Path file = out.resolve("solr-equivalence.md");
      Files.writeString(file, table(), StandardCharsets.UTF_8);
      return file;
    }
  }

  static Report run(Settings settings) throws Exception {
    Qrels qrels = Qrels.read(settings.qrels());
    List<Query> queries = RetrievalQuality.readQueries(settings.queries());
    if (settings.maxQueries() > 0 && queries.size() > settings.maxQueries()) {
      queries = queries.subList(0, settings.maxQueries());
    }
    Path runs = settings.out().resolve("runs");
    Files.createDirectories(runs);
    List<Ingestion> ingestions = new ArrayList<>();
    List<Quality> lucene = new ArrayList<>();
    List<Quality> solr = new ArrayList<>();
    RetrievalQuality.Settings search = new RetrievalQuality.Settings(settings.data(), settings.model(),
        settings.candidates(), settings.topK(), settings.modes(), List.of(), settings.maxQueries(),
        settings.maxDocuments(), settings.indexRoot(), settings.out());
    try (OnnxEmbeddingModel onnx = OnnxEmbeddingModel.builder().source(ModelSource.builtIn(settings.model())).build()) {
      CachedModel model = new CachedModel(onnx);
      List<String> texts = queries.stream().map(Query::text).toList();
      for (int i = 0; i < texts.size(); i += 64) {
        model.embedAll(texts.subList(i, Math.min(texts.size(), i + 64)));
      }
      IndexSettings indexSettings = IndexSettings.builder().embeddingModel(model)
          .chunker(RecursiveChunker.of(onnx.tokenCounter())).candidates(settings.candidates()).build();
      Files.createDirectories(settings.indexRoot());
      Path root = Files.createTempDirectory(settings.indexRoot(), "solr-equivalence-");
      try {
        try (DocumentIndex index = DocumentIndex.lucene(root.resolve("lucene"), indexSettings)) {
          ingestions.add(ingest("llmops lucene", index, settings));
          for (Mode mode : settings.modes()) {
            lucene.add(RetrievalQuality.measure("llmops lucene", mode.name(), queries, qrels, runs, settings.topK(),
                text -> RetrievalQuality.search(index, text, mode, search)));
            System.err.printf(Locale.ROOT, "lucene %s: nDCG@10 %.4f%n", mode.name(), lucene.get(lucene.size() - 1)
                .ndcg10());
          }
        }
        System.setProperty("solr.install.dir", root.toString());
        System.setProperty("zookeeper.admin.enableServer", "false");
        MiniSolrCloudCluster cluster = new MiniSolrCloudCluster.Builder(settings.nodes(), root.resolve("solr"))
            .withMetrics(false).build();
        try {
          String urls = String.join(",", cluster.getJettySolrRunners().stream().map(JettySolrRunner::getBaseUrl)
              .map(Object::toString).toList());
          try (SolrCloud cloud = SolrCloud.connect(urls);
              DocumentIndex index = cloud.openIndex("scifact", indexSettings,
                  CollectionLayout.of(settings.shards(), settings.replicas()))) {
            ingestions.add(ingest("llmops solrcloud", index, settings));
            for (Mode mode : settings.modes()) {
              solr.add(RetrievalQuality.measure("llmops solrcloud", mode.name(), queries, qrels, runs,
                  settings.topK(), text -> RetrievalQuality.search(index, text, mode, search)));
              System.err.printf(Locale.ROOT, "solr %s: nDCG@10 %.4f%n", mode.name(), solr.get(solr.size() - 1)
                  .ndcg10());
            }
          }
        } finally {
          cluster.shutdown();
        }
      } finally {
        Directories.delete(root);
      }
    }
    String machine = Runtime.getRuntime().availableProcessors() + " cpus, Java " + Runtime.version();
    return new Report(settings, queries.size(), ingestions, lucene, solr, machine);
  }

  private static Ingestion ingest(String side, DocumentIndex index, Settings settings) throws IOException {
    IngestReport report;
    try (JsonLinesCorpus corpus = JsonLinesCorpus.open(settings.corpus())) {
      report = index.upsert(settings.maxDocuments() == 0 ? corpus
          : () -> StreamSupport.stream(corpus.spliterator(), false).limit(settings.maxDocuments()).iterator());
    }
    System.err.printf(Locale.ROOT, "%s ingestion: %s%n", side, report);
    return new Ingestion(side, report.added(), index.currentSnapshot().orElseThrow().chunks(),
        report.totalTime().toNanos() / 1e9, report.embeddingTime().toNanos() / 1e9);
  }

  /** The model with a cache of vectors by text, so the second index and the queries reuse the first's vectors. */
  private static final class CachedModel implements EmbeddingModel {
    private final EmbeddingModel model;
    private final Map<String, Embedding> cache = new ConcurrentHashMap<>();

    CachedModel(EmbeddingModel model) {
      this.model = model;
    }

    @Override
    public EmbeddingResult embedAll(List<String> texts) {
      List<String> missing = texts.stream().filter(t -> !cache.containsKey(t)).distinct().toList();
      if (!missing.isEmpty()) {
        EmbeddingResult computed = model.embedAll(missing);
        for (int i = 0; i < missing.size(); i++) {
          cache.put(missing.get(i), computed.get(i));
        }
      }
      List<Embedding> embeddings = texts.stream().map(cache::get)
          .map(e -> new Embedding(e.vector().clone(), e.tokenCount(), e.handling())).toList();
      return new EmbeddingResult(embeddings, model.modelId(), -1);
    }

    @Override
    public String modelId() {
      return model.modelId();
    }

    @Override
    public OptionalInt dimension() {
      return model.dimension();
    }
  }
}
