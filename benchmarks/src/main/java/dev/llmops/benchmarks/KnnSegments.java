package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Why the llmops Lucene index loses recall when its HNSW vectors are spread over several segments: plain Lucene (the
 * same version, vector format and similarity as {@code LuceneStore}), no llmops code, one index of synthetic vectors
 * written in several segments (a small RAM buffer, no merges), searched two ways over the same segments:
 *
 * <ul>
 *   <li><b>query</b>: {@link KnnFloatVectorQuery} with k = candidates, as {@code LuceneStore} searches. On more than
 *       one segment Lucene 9.12 collects with a {@code MultiLeafKnnCollector}, which shares the best similarities
 *       found so far across segments and stops a segment's graph search once it cannot beat them;
 *   <li><b>per segment</b>: each segment's {@code searchNearestVectors} with k = candidates on its own, the results
 *       merged by score: every graph is searched as fully as a single-segment index would be.
 * </ul>
 *
 * <p>Recall@k against exact search and queries/s per candidate count and way, one query at a time on one thread.
 */
final class KnnSegments {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VECTOR = "vector";
  private static final String ID = "id";

  private KnnSegments() {}

  record Settings(int size, double ramBufferMb, int maxConnections, int beamWidth, List<Integer> candidates,
      int queries, int k, SyntheticVectors.Spec vectors, Path indexRoot, Path out) {
    static Settings parse(String[] args) {
      Set<String> known = new HashSet<>(SyntheticVectors.Spec.OPTIONS);
      known.addAll(List.of("--size", "--ram-mb", "--hnsw", "--candidates", "--queries", "--k", "--index-dir",
          "--out"));
      Map<String, String> o = CommandOptions.parse(args, known);
      List<Integer> hnsw = integers(o.getOrDefault("--hnsw", "16,50"));
      if (hnsw.size() != 2) {
        throw new IllegalArgumentException("--hnsw takes the degree and the construction beam, as 16,50; was "
            + o.get("--hnsw"));
      }
      Settings s = new Settings(Integer.parseInt(o.getOrDefault("--size", "300000")),
          Double.parseDouble(o.getOrDefault("--ram-mb", "64")), hnsw.get(0), hnsw.get(1),
          integers(o.getOrDefault("--candidates", "40,100,200")), Integer.parseInt(o.getOrDefault("--queries", "200")),
          Integer.parseInt(o.getOrDefault("--k", "10")), SyntheticVectors.Spec.from(o),
          Path.of(o.getOrDefault("--index-dir", "target")), Path.of(o.getOrDefault("--out", "target/results")));
      if (s.size < s.k || s.queries < 1 || s.k < 1 || !(s.ramBufferMb > 0)
          || s.candidates.stream().anyMatch(c -> c < s.k)) {
        throw new IllegalArgumentException("--size must be at least --k, --queries, --k and --ram-mb positive, and "
            + "every --candidates at least --k; were " + s.size + ", " + s.queries + ", " + s.k + ", "
            + s.ramBufferMb + ", " + s.candidates);
      }
      return s;
    }

    private static List<Integer> integers(String list) {
      return Arrays.stream(list.split(",")).map(String::strip).map(Integer::parseInt).toList();
    }
  }

  /** One way of searching at one candidate count. */
  record Row(String way, int candidates, double recall, double queriesPerSecond) {}

  record Report(Settings settings, int segments, double buildSeconds, List<Row> rows, String machine) {
    String table() {
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "knn-segments: plain Lucene, %,d vectors of %d dims in %d segments "
          + "(RAM buffer %.0f MB, no merges), HNSW degree %d, beam %d, built in %.1f s; top %d; %s%n",
          settings.size(), settings.vectors().dimension(), segments, settings.ramBufferMb(),
          settings.maxConnections(), settings.beamWidth(), buildSeconds, settings.k(), machine));
      t.append(String.format(Locale.ROOT, "%-12s %6s %10s %10s%n", "search", "cand.", "recall@" + settings.k(),
          "queries/s"));
      for (Row r : rows) {
        t.append(String.format(Locale.ROOT, "%-12s %6d %10.4f %10.1f%n", r.way(), r.candidates(), r.recall(),
            r.queriesPerSecond()));
      }
      t.append("query: KnnFloatVectorQuery(k = candidates), as the llmops index runs it; per segment: each "
          + "segment's graph searched for the candidates alone, then merged.\n");
      return t.toString();
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("knn-segments.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row r : rows) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "knn-segments");
        line.put("time", when);
        line.put("machine", machine);
        line.put("size", settings.size());
        line.put("segments", segments);
        line.put("hnsw_max_connections", settings.maxConnections());
        line.put("hnsw_beam_width", settings.beamWidth());
        line.put("k", settings.k());
        line.put("search", r.way());
        line.put("candidates", r.candidates());
        line.put("recall", r.recall());
        line.put("queries_per_second", r.queriesPerSecond());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      return file;
    }
  }

  static Report run(Settings settings) throws IOException {
    SyntheticVectors generator = new SyntheticVectors(settings.vectors());
    VectorSet base = generator.generate(SyntheticVectors.Draw.BASE, settings.size());
    VectorSet queries = generator.generate(SyntheticVectors.Draw.QUERIES, settings.queries());
    VectorSet warmup = generator.generate(SyntheticVectors.Draw.WARMUP, 50);
    int[][] truth = new int[queries.size()][];
    for (int q = 0; q < queries.size(); q++) {
      truth[q] = ExactSearch.topK(base, queries.get(q), settings.k());
    }
    Files.createDirectories(settings.indexRoot());
    Path path = Files.createTempDirectory(settings.indexRoot(), "knn-segments-");
    KnnVectorsFormat format = new Lucene99HnswVectorsFormat(settings.maxConnections(), settings.beamWidth());
    IndexWriterConfig config = new IndexWriterConfig()
        .setRAMBufferSizeMB(settings.ramBufferMb())
        .setMergePolicy(NoMergePolicy.INSTANCE)
        .setCodec(new Lucene912Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return format;
          }
        });
    try (Directory directory = FSDirectory.open(path)) {
      long start = System.nanoTime();
      try (IndexWriter writer = new IndexWriter(directory, config)) {
        for (int i = 0; i < base.size(); i++) {
          Document doc = new Document();
          doc.add(new StoredField(ID, i));
          doc.add(new KnnFloatVectorField(VECTOR, base.get(i), VectorSimilarityFunction.DOT_PRODUCT));
          writer.addDocument(doc);
        }
        writer.commit();
      }
      double build = (System.nanoTime() - start) / 1e9;
      System.err.printf(Locale.ROOT, "%,d vectors indexed in %.1f s%n", base.size(), build);
      List<Row> rows = new ArrayList<>();
      int segments;
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        segments = reader.leaves().size();
        IndexSearcher searcher = new IndexSearcher(reader);
        for (int candidates : settings.candidates()) {
          for (String way : List.of("query", "per segment")) {
            for (int i = 0; i < warmup.size(); i++) {
              search(searcher, way, warmup.get(i), candidates, settings.k());
            }
            double recall = 0;
            start = System.nanoTime();
            for (int q = 0; q < queries.size(); q++) {
              recall += VectorSearch.recall(search(searcher, way, queries.get(q), candidates, settings.k()),
                  truth[q], settings.k());
            }
            double qps = queries.size() / ((System.nanoTime() - start) / 1e9);
            Row row = new Row(way, candidates, recall / queries.size(), qps);
            System.err.printf(Locale.ROOT, "%s, candidates %d: recall %.4f, %.1f queries/s%n", way, candidates,
                row.recall(), qps);
            rows.add(row);
          }
        }
      }
      String machine = Runtime.getRuntime().availableProcessors() + " cpus, Java " + Runtime.version() + ", "
          + System.getProperty("os.arch");
      return new Report(settings, segments, build, rows, machine);
    } finally {
      Directories.delete(path);
    }
  }

  /** The ids of the top k, by one of the two ways. */
  static int[] search(IndexSearcher searcher, String way, float[] query, int candidates, int k) throws IOException {
    List<ScoreDoc> hits = new ArrayList<>();
    if (way.equals("query")) {
      TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, candidates), candidates);
      hits.addAll(Arrays.asList(top.scoreDocs));
    } else {
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        TopDocs top = leaf.reader().searchNearestVectors(VECTOR, query, candidates, leaf.reader().getLiveDocs(),
            Integer.MAX_VALUE);
        for (ScoreDoc sd : top.scoreDocs) {
          hits.add(new ScoreDoc(sd.doc + leaf.docBase, sd.score));
        }
      }
      hits.sort(Comparator.comparingDouble((ScoreDoc sd) -> sd.score).reversed());
    }
    int[] ids = new int[Math.min(k, hits.size())];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = searcher.storedFields().document(hits.get(i).doc).getField(ID).numericValue().intValue();
    }
    return ids;
  }

}
