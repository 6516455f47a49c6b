package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.TextSpan;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.retrieval.Citation;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.guardrails.grounding.GroundingGuard;
import dev.llmops.guardrails.grounding.GroundingReport;
import dev.llmops.guardrails.grounding.SentenceSupport;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How well the grounding guard tells supported claims from unsupported ones, on SciFact's training claims: each
 * claim is an "answer" citing one abstract (the chunk), and SciFact's annotators say whether that abstract
 * supports the claim (SUPPORT), contradicts it (CONTRADICT), or is cited without evidence either way (NEI, a hard
 * negative: same topic, no support). A fourth group cites a random other abstract (an easy negative).
 *
 * <p>For each guard configuration (word overlap only; overlap plus all-MiniLM-L6-v2 cosine; cosine only) and each
 * support threshold it reports the share of each group judged supported, and precision, recall and F1 with SUPPORT
 * as the positive class against NEI and RANDOM. CONTRADICT is reported apart: the guard measures support by
 * overlap and similarity, not entailment, so a contradiction that reuses the source's words looks supported.
 * Thresholds are swept on the same data, so the best row is an optimistic estimate; the default (0.5) is the
 * honest one.
 */
final class GroundingQuality {

  private static final ObjectMapper JSON = new ObjectMapper();

  private GroundingQuality() {}

  record Settings(Path data, String model, List<Double> thresholds, int randomSeed, Path out) {
    static Settings parse(String[] args) {
      Map<String, String> o = CommandOptions.parse(args, Set.of("--data", "--model", "--thresholds", "--seed", "--out"));
      String model = o.getOrDefault("--model", "all-minilm-l6-v2");
      if (!model.equals("all-minilm-l6-v2") && !model.equals("all-minilm-l6-v2-q") && !model.equals("none")) {
        throw new IllegalArgumentException("--model must be all-minilm-l6-v2, all-minilm-l6-v2-q or none; was " + model);
      }
      List<Double> thresholds = Arrays.stream(o.getOrDefault("--thresholds", "0.3,0.4,0.5,0.6,0.7").split(","))
          .map(String::strip).map(Double::parseDouble).toList();
      if (thresholds.stream().anyMatch(t -> !(t >= 0 && t <= 1))) {
        throw new IllegalArgumentException("--thresholds must be in [0, 1]; were " + thresholds);
      }
      return new Settings(Path.of(o.getOrDefault("--data", "../../shared/data/scifact")), model, thresholds,
          Integer.parseInt(o.getOrDefault("--seed", "42")), Path.of(o.getOrDefault("--out", "target/results")));
    }
  }

  static Optional<String> missingData(Settings settings) {
    List<String> missing = Stream.of("corpus.jsonl", "queries-train.jsonl", "qrels-train.tsv")
        .filter(f -> !Files.isRegularFile(settings.data().resolve(f))).toList();
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("SciFact not found at " + settings.data().toAbsolutePath().normalize() + " (missing "
        + String.join(", ", missing) + "); grounding-quality needs ../shared/data/scifact (BEIR's corpus.jsonl, "
        + "queries-train.jsonl with SciFact's evidence labels in metadata, qrels-train.tsv), or --data DIR");
  }

  /** One claim citing one abstract, with the annotators' label. */
  record Case(String claim, String docId, String group) {}

  /** The guard's judgement of one case: the lowest support over the claim's sentences, and whether numbers matched. */
  record Judgement(double support, boolean numbersMatch, boolean claim) {
    boolean supported(double threshold) {
      return claim && numbersMatch && support >= threshold;
    }
  }

  record Row(String config, double threshold, Map<String, Double> supportedShare, double precision, double recall,
      double f1) {}

  record Timing(String config, int cases, double seconds) {
    double casesPerSecond() {
      return cases / seconds;
    }
  }

  record Report(Settings settings, Map<String, Integer> groups, List<Row> rows, List<Timing> timings,
      Map<String, Integer> skipped, String machine) {
    String table() {
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "grounding-quality: SciFact train claims, %s; %s%n", groups, machine));
      t.append(String.format(Locale.ROOT, "%-22s %5s %8s %8s %8s %8s %9s %7s %7s%n", "config", "min", "SUPPORT",
          "NEI", "RANDOM", "CONTRA", "precision", "recall", "F1"));
      for (Row r : rows) {
        t.append(String.format(Locale.ROOT, "%-22s %5.2f %8.3f %8.3f %8.3f %8.3f %9.3f %7.3f %7.3f%n", r.config(),
            r.threshold(), r.supportedShare().get("SUPPORT"), r.supportedShare().get("NEI"),
            r.supportedShare().get("RANDOM"), r.supportedShare().get("CONTRADICT"), r.precision(), r.recall(), r.f1()));
      }
      t.append("Columns SUPPORT..CONTRA: share of each group judged supported. Precision/recall/F1: SUPPORT positive, "
          + "NEI + RANDOM negative (CONTRADICT left out).\n");
      for (Timing timing : timings) {
        t.append(String.format(Locale.ROOT, "%-22s %,d cases in %.1f s, %.1f cases/s (one thread, assess() per case, "
            + "embedding included)%n", timing.config(), timing.cases(), timing.seconds(), timing.casesPerSecond()));
      }
      t.append("claims skipped as non-claims (too short etc.): ").append(skipped).append('\n');
      return t.toString();
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("grounding-quality.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row r : rows) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "grounding-quality");
        line.put("when", when);
        line.put("machine", machine);
        line.put("config", r.config());
        line.put("min_support", r.threshold());
        line.put("supported_share", r.supportedShare());
        line.put("precision", r.precision());
        line.put("recall", r.recall());
        line.put("f1", r.f1());
        lines.add(JSON.writeValueAsString(line));
      }
      for (Timing timing : timings) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "grounding-quality-speed");
        line.put("when", when);
        line.put("machine", machine);
        line.put("config", timing.config());
        line.put("cases", timing.cases());
        line.put("seconds", timing.seconds());
        line.put("cases_per_second", timing.casesPerSecond());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines, StandardCharsets.UTF_8);
      return file;
    }
  }

  static Report run(Settings settings) throws IOException {
    Optional<String> missing = missingData(settings);
    if (missing.isPresent()) {
      throw new IllegalStateException(missing.get());
    }
    Map<String, String> corpus = new HashMap<>();
    List<String> docIds = new ArrayList<>();
    for (String line : Files.readAllLines(settings.data().resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode row = JSON.readTree(line);
      String id = row.path("_id").asText();
      String title = row.path("title").asText();
      corpus.put(id, title.isEmpty() ? row.path("text").asText() : title + ". " + row.path("text").asText());
      docIds.add(id);
    }
    Map<String, List<String>> cited = new LinkedHashMap<>();
    List<String> qrels = Files.readAllLines(settings.data().resolve("qrels-train.tsv"), StandardCharsets.UTF_8);
    for (String line : qrels.subList(1, qrels.size())) {
      String[] f = line.split("\t");
      if (f.length >= 2) {
        cited.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
      }
    }
    Random random = new Random(settings.randomSeed());
    List<Case> cases = new ArrayList<>();
    for (String line : Files.readAllLines(settings.data().resolve("queries-train.jsonl"), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode row = JSON.readTree(line);
      String id = row.path("_id").asText();
      String claim = row.path("text").asText();
      JsonNode evidence = row.path("metadata");
      List<String> docs = cited.getOrDefault(id, List.of());
      for (String doc : docs) {
        if (!corpus.containsKey(doc)) {
          continue;
        }
        JsonNode labels = evidence.path(doc);
        String group = labels.isArray() && !labels.isEmpty() ? labels.get(0).path("label").asText() : "NEI";
        cases.add(new Case(claim, doc, group));
      }
      String other;
      do {
        other = docIds.get(random.nextInt(docIds.size()));
      } while (docs.contains(other));
      cases.add(new Case(claim, other, "RANDOM"));
    }
    Map<String, Integer> groups = new LinkedHashMap<>();
    for (Case c : cases) {
      groups.merge(c.group(), 1, Integer::sum);
    }

    List<Row> rows = new ArrayList<>();
    List<Timing> timings = new ArrayList<>();
    Map<String, Integer> skipped = new LinkedHashMap<>();
    evaluate("overlap", GroundingGuard.builder().minSupport(0).build(), cases, corpus, settings, rows, timings, skipped);
    if (!settings.model().equals("none")) {
      try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(ModelSource.builtIn(settings.model())).build()) {
        model.embed("warm-up");
        evaluate("overlap+cosine 0.5", guard(model, 0.5), cases, corpus, settings, rows, timings, skipped);
        evaluate("cosine only", guard(model, 0.0), cases, corpus, settings, rows, timings, skipped);
      }
    }
    String machine = Runtime.getRuntime().availableProcessors() + " cpus, Java " + Runtime.version() + ", "
        + System.getProperty("os.arch") + (settings.model().equals("none") ? "" : ", " + settings.model());
    return new Report(settings, groups, rows, timings, skipped, machine);
  }

  private static GroundingGuard guard(EmbeddingModel model, double lexicalWeight) {
    return GroundingGuard.builder().embeddingModel(model).lexicalWeight(lexicalWeight).minSupport(0).build();
  }

  private static void evaluate(String config, GroundingGuard guard, List<Case> cases, Map<String, String> corpus,
      Settings settings, List<Row> rows, List<Timing> timings, Map<String, Integer> skipped) {
    List<Judgement> judgements = new ArrayList<>(cases.size());
    long start = System.nanoTime();
    int notClaims = 0;
    for (Case c : cases) {
      String text = corpus.get(c.docId());
      String chunkId = c.docId() + "#0";
      RetrievedChunk chunk = new RetrievedChunk(chunkId, text, 1.0,
          new Citation(c.docId(), "", "scifact", null, new TextSpan(0, text.length()), "scifact"), Map.of());
      String answer = c.claim().strip() + " [" + chunkId + "]";
      GroundingReport report = guard.assess(new OutputContext(answer, "", List.of(chunk), List.of(), null, Map.of()));
      double support = 1;
      boolean numbers = true;
      boolean claim = false;
      for (SentenceSupport s : report.sentences()) {
        if (s.isClaim()) {
          claim = true;
          support = Math.min(support, s.support());
          numbers &= s.unmatchedNumbers().isEmpty() && s.status() != SentenceSupport.Status.NOT_ASSESSED;
        }
      }
      if (!claim) {
        notClaims++;
      }
      judgements.add(new Judgement(claim ? support : 0, numbers, claim));
    }
    timings.add(new Timing(config, cases.size(), (System.nanoTime() - start) / 1e9));
    skipped.put(config, notClaims);
    for (double threshold : settings.thresholds()) {
      Map<String, int[]> counts = new LinkedHashMap<>();
      for (String g : List.of("SUPPORT", "NEI", "RANDOM", "CONTRADICT")) {
        counts.put(g, new int[2]);
      }
      for (int i = 0; i < cases.size(); i++) {
        int[] count = counts.get(cases.get(i).group());
        count[1]++;
        if (judgements.get(i).supported(threshold)) {
          count[0]++;
        }
      }
      Map<String, Double> share = new LinkedHashMap<>();
      counts.forEach((g, count) -> share.put(g, count[1] == 0 ? Double.NaN : (double) count[0] / count[1]));
      double tp = counts.get("SUPPORT")[0];
      double fn = counts.get("SUPPORT")[1] - tp;
      double fp = counts.get("NEI")[0] + counts.get("RANDOM")[0];
      double precision = tp + fp == 0 ? 0 : tp / (tp + fp);
      double recall = tp + fn == 0 ? 0 : tp / (tp + fn);
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      rows.add(new Row(config, threshold, share, precision, recall, f1));
    }
  }
}
