package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether {@link SyntheticVectors} look like real text embeddings: {@link NeighbourStatistics} of all-MiniLM-L6-v2
 * (int8, llmops' engine) embeddings of the first SciFact abstracts next to those of as many synthetic vectors, in
 * as many clusters as keep the points per cluster of the 100,000-vector benchmark. The synthetic options
 * ({@code --clusters} and the rest) are those of {@code vector-search}, to try other mixtures.
 */
final class VectorData {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The vector-search size whose points per cluster the comparison keeps. */
  private static final int REFERENCE_SIZE = 100_000;

  private VectorData() {}

  record Settings(Path data, int docs, int queries, SyntheticVectors.Spec vectors, Path out) {
    static Settings parse(String[] args) {
      Set<String> known = new HashSet<>(SyntheticVectors.Spec.OPTIONS);
      known.addAll(List.of("--data", "--docs", "--queries", "--out"));
      Map<String, String> o = CommandOptions.parse(args, known);
      Settings s = new Settings(Path.of(o.getOrDefault("--data", "../../shared/data/scifact")),
          Integer.parseInt(o.getOrDefault("--docs", "3000")), Integer.parseInt(o.getOrDefault("--queries", "300")),
          SyntheticVectors.Spec.from(o), Path.of(o.getOrDefault("--out", "target/results")));
      if (s.queries < 1 || s.docs <= Math.max(s.queries, NeighbourStatistics.K + 1)) {
        throw new IllegalArgumentException("--queries must be positive and --docs larger than it and than "
            + (NeighbourStatistics.K + 1) + ", were " + s.queries + " and " + s.docs);
      }
      return s;
    }
  }

  record Row(String source, String details, NeighbourStatistics statistics) {}

  record Report(Settings settings, List<Row> rows) {
    String table() {
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "vector-data: neighbourhoods of real and synthetic vectors (means over "
          + "%d queries)%n", settings.queries()));
      t.append(String.format(Locale.ROOT, "%-10s %-44s %8s %8s %8s %8s %8s %8s%n", "source", "details", "vectors",
          "cos nn1", "cos nn10", "cos mean", "LID@" + NeighbourStatistics.K, "contrast"));
      for (Row r : rows) {
        NeighbourStatistics s = r.statistics();
        t.append(String.format(Locale.ROOT, "%-10s %-44s %,8d %8.3f %8.3f %8.3f %8.1f %8.2f%n", r.source(),
            r.details(), s.vectors(), s.nearestCosine(), s.tenthCosine(), s.meanCosine(), s.intrinsicDimension(),
            s.relativeContrast()));
      }
      t.append("LID: local intrinsic dimension (maximum likelihood over the nearest neighbours); contrast: mean "
          + "distance / nearest distance.\n");
      return t.toString();
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("vector-data.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row r : rows) {
        NeighbourStatistics s = r.statistics();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "vector-data");
        line.put("time", when);
        line.put("source", r.source());
        line.put("details", r.details());
        line.put("vectors", s.vectors());
        line.put("queries", s.queries());
        line.put("nearest_cosine", s.nearestCosine());
        line.put("tenth_cosine", s.tenthCosine());
        line.put("mean_cosine", s.meanCosine());
        line.put("intrinsic_dimension", s.intrinsicDimension());
        line.put("relative_contrast", s.relativeContrast());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      return file;
    }
  }

  static Report run(Settings settings) throws IOException {
    Path corpus = settings.data().resolve("corpus.jsonl");
    if (!Files.isRegularFile(corpus)) {
      throw new IllegalStateException("vector-data needs SciFact's corpus.jsonl in "
          + settings.data().toAbsolutePath() + " (from ../shared/data/scifact); it is missing. Pass --data DIR.");
    }
    List<String> docs = abstracts(corpus, settings.docs());
    float[][] vectors = new float[docs.size()][];
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.load(ModelSource.builtIn("all-minilm-l6-v2-q"))) {
      for (int i = 0; i < docs.size(); i += 64) {
        List<Embedding> batch = model.embedAll(docs.subList(i, Math.min(docs.size(), i + 64))).embeddings();
        for (int j = 0; j < batch.size(); j++) {
          vectors[i + j] = batch.get(j).vector();
        }
        System.err.printf(Locale.ROOT, "embedded %d of %d abstracts%n", Math.min(docs.size(), i + 64), docs.size());
      }
    }
    VectorSet real = new VectorSet(vectors[0].length, vectors);
    float[][] firstDocs = new float[Math.min(settings.queries(), real.size())][];
    for (int i = 0; i < firstDocs.length; i++) {
      firstDocs[i] = real.get(i);
    }
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("SciFact", "all-MiniLM-L6-v2 int8, title + abstract", NeighbourStatistics.of(real,
        new VectorSet(real.dimension(), firstDocs), true)));

    SyntheticVectors.Spec spec = settings.vectors().withClusters(Math.max(1,
        (int) Math.round((double) real.size() * settings.vectors().clusters() / REFERENCE_SIZE)));
    SyntheticVectors generator = new SyntheticVectors(spec);
    rows.add(new Row("synthetic", String.format(Locale.ROOT, "%d clusters, spread %.2f, rank %d, iso %.2f",
        spec.clusters(), spec.spread(), spec.rank(), spec.isotropic()), NeighbourStatistics.of(
        generator.generate(SyntheticVectors.Draw.BASE, real.size()),
        generator.generate(SyntheticVectors.Draw.QUERIES, settings.queries()), false)));
    return new Report(settings, rows);
  }

  private static List<String> abstracts(Path corpus, int limit) throws IOException {
    List<String> texts = new ArrayList<>();
    for (String line : Files.readAllLines(corpus)) {
      if (texts.size() == limit) {
        break;
      }
      if (line.isBlank()) {
        continue;
      }
      JsonNode row = JSON.readTree(line);
      texts.add(row.path("title").asText() + ". " + row.path("text").asText());
    }
    if (texts.size() <= NeighbourStatistics.K + 1) {
      throw new IllegalStateException(corpus + " has only " + texts.size() + " abstracts");
    }
    return texts;
  }
}
