package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.benchmarks.retrieval.Qrels;
import dev.llmops.benchmarks.retrieval.RetrievalMetrics;
import dev.llmops.benchmarks.retrieval.TrecRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Retrieval quality of TREC run files against qrels, as BEIR reports it: nDCG@10 and recall@100 (trec_eval's
 * {@code ndcg_cut.10} and {@code recall.100}; see {@link RetrievalMetrics} for the definitions), one row per run.
 */
final class TrecEval {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrecEval() {}

  record Settings(Path qrels, List<Path> runs, int ndcgAt, int recallAt, Path out) {
    static Settings parse(String[] args) {
      Map<String, List<String>> o = CommandOptions.parseRepeatable(args, Set.of("--qrels", "--run", "--ndcg-at",
          "--recall-at", "--out"));
      List<String> qrels = o.getOrDefault("--qrels", List.of());
      List<String> runs = o.getOrDefault("--run", List.of());
      if (qrels.size() != 1 || runs.isEmpty()) {
        throw new IllegalArgumentException("trec-eval needs one --qrels FILE and at least one --run FILE, got "
            + qrels.size() + " and " + runs.size());
      }
      Settings s = new Settings(Path.of(qrels.get(0)), runs.stream().map(Path::of).toList(),
          Integer.parseInt(last(o, "--ndcg-at", "10")), Integer.parseInt(last(o, "--recall-at", "100")),
          Path.of(last(o, "--out", "target/results")));
      if (s.ndcgAt < 1 || s.recallAt < 1) {
        throw new IllegalArgumentException("--ndcg-at and --recall-at must be positive, were " + s.ndcgAt + " and "
            + s.recallAt);
      }
      return s;
    }

    private static String last(Map<String, List<String>> options, String name, String otherwise) {
      List<String> values = options.getOrDefault(name, List.of());
      return values.isEmpty() ? otherwise : values.get(values.size() - 1);
    }
  }

  /**
   * One run's scores.
   *
   * @param queries queries averaged (those of the qrels with a relevant document)
   * @param missing of those, how many the run has no line for (each scored 0)
   */
  record Row(String run, String tag, RetrievalMetrics.Scores ndcg, RetrievalMetrics.Scores recall, int queries,
      int missing) {}

  record Report(Settings settings, Qrels qrels, List<Row> rows) {
    String table() {
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "trec-eval: %s (%d queries, %d judgements)%n", settings.qrels(),
          qrels.queries().size(), qrels.size()));
      t.append(String.format(Locale.ROOT, "%-40s %-16s %9s %10s %8s %8s%n", "run", "tag", "nDCG@" + settings.ndcgAt(),
          "recall@" + settings.recallAt(), "queries", "missing"));
      for (Row r : rows) {
        t.append(String.format(Locale.ROOT, "%-40s %-16s %9.4f %10.4f %8d %8d%n", r.run(), r.tag(), r.ndcg().mean(),
            r.recall().mean(), r.queries(), r.missing()));
      }
      t.append("queries: those of the qrels with a relevant document; missing: of those, queries without a run line "
          + "(scored 0).\n");
      return t.toString();
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("trec-eval.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row r : rows) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "trec-eval");
        line.put("time", when);
        line.put("qrels", settings.qrels().toString());
        line.put("run", r.run());
        line.put("tag", r.tag());
        line.put(r.ndcg().measure(), r.ndcg().mean());
        line.put(r.recall().measure(), r.recall().mean());
        line.put("queries", r.queries());
        line.put("missing", r.missing());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      return file;
    }
  }

  static Report run(Settings settings) throws IOException {
    Qrels qrels = Qrels.read(settings.qrels());
    List<Row> rows = new ArrayList<>();
    for (Path file : settings.runs()) {
      TrecRun run = TrecRun.read(file);
      RetrievalMetrics.Scores ndcg = RetrievalMetrics.ndcg(qrels, run, settings.ndcgAt());
      RetrievalMetrics.Scores recall = RetrievalMetrics.recall(qrels, run, settings.recallAt());
      rows.add(new Row(file.toString(), run.tag(), ndcg, recall, ndcg.queries(), ndcg.missingFromRun()));
    }
    return new Report(settings, qrels, rows);
  }
}
