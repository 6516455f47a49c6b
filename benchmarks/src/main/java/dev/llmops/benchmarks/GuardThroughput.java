package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.guard.InputContext;
import dev.llmops.guardrails.chain.ChainResult;
import dev.llmops.guardrails.chain.GuardChain;
import dev.llmops.guardrails.chain.GuardPolicy;
import dev.llmops.guardrails.chain.GuardRecord;
import dev.llmops.guardrails.chain.GuardResources;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The speed of a guard policy's input chain (by default the built-in {@code default} policy) on prompts of about
 * 1 KB: single-caller latency (p50, p99) and throughput with one and with N callers, rules only and with the
 * embedding classifier, plus each guard's mean share.
 *
 * <p>Prompts: rows of ../shared/data/guardrails/injection-dev.jsonl joined until each is about {@code --bytes} long
 * (so injections sit inside benign text), or, when that file is missing, prompts generated from a fixed seed.
 *
 * <p>No JVM library ships comparable detectors (LangChain4j and Spring AI define guardrail interfaces but no
 * injection, PII or secrets detection; LLM Guard and Presidio are Python services), so there is no side-by-side
 * library here; the embedding classifier row is compared with the rules-only row of the same run.
 */
final class GuardThroughput {

  private static final ObjectMapper JSON = new ObjectMapper();

  private GuardThroughput() {}

  record Settings(Path data, String policy, int prompts, int bytes, int callers, int warmup, List<String> modes,
      String model, Path out) {
    static Settings parse(String[] args) {
      Map<String, String> o = CommandOptions.parse(args, Set.of("--data", "--policy", "--prompts", "--bytes",
          "--callers", "--warmup", "--modes", "--model", "--out"));
      Settings s = new Settings(Path.of(o.getOrDefault("--data", "../../shared/data/guardrails/injection-dev.jsonl")),
          o.getOrDefault("--policy", "default"), Integer.parseInt(o.getOrDefault("--prompts", "2000")),
          Integer.parseInt(o.getOrDefault("--bytes", "1024")), Integer.parseInt(o.getOrDefault("--callers", "2")),
          Integer.parseInt(o.getOrDefault("--warmup", "500")),
          List.of(o.getOrDefault("--modes", "rules,classifier").split(",")),
          o.getOrDefault("--model", "all-minilm-l6-v2"), Path.of(o.getOrDefault("--out", "target/results")));
      if (s.prompts < 1 || s.bytes < 1 || s.callers < 1 || s.warmup < 0) {
        throw new IllegalArgumentException("prompts, bytes and callers must be positive");
      }
      for (String m : s.modes) {
        if (!m.equals("rules") && !m.equals("classifier")) {
          throw new IllegalArgumentException("--modes takes rules and/or classifier but got " + m);
        }
      }
      return s;
    }
  }

  record Row(String mode, int callers, double promptsPerSecond, double p50Ms, double p99Ms, double blockedShare,
      Map<String, Double> guardMeanMs) {}

  record Report(Settings settings, String source, double meanChars, List<Row> rows, String machine) {
    String table() {
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "guard-throughput: policy %s, %d prompts of ~%d chars (%s); %s%n",
          settings.policy(), settings.prompts(), Math.round(meanChars), source, machine));
      t.append(String.format(Locale.ROOT, "%-11s %7s %10s %8s %8s %8s  %s%n", "mode", "callers", "prompts/s",
          "p50 ms", "p99 ms", "stopped", "mean ms per guard"));
      for (Row r : rows) {
        StringBuilder guards = new StringBuilder();
        r.guardMeanMs().forEach((g, ms) -> guards.append(String.format(Locale.ROOT, "%s %.3f  ", g, ms)));
        t.append(String.format(Locale.ROOT, "%-11s %7d %10.1f %8s %8s %7.1f%%  %s%n", r.mode(), r.callers(),
            r.promptsPerSecond(), fmt(r.p50Ms()), fmt(r.p99Ms()), 100 * r.blockedShare(), guards.toString().strip()));
      }
      Row rules = find("rules", 1);
      Row classifier = find("classifier", 1);
      if (rules != null && classifier != null) {
        t.append(String.format(Locale.ROOT, "the embedding classifier costs %.1fx the rules-only chain's time per "
            + "prompt (one caller)%n", rules.promptsPerSecond() / classifier.promptsPerSecond()));
      }
      t.append("latency rows: one caller; throughput rows with N callers share the chain (thread-safe).\n");
      return t.toString();
    }

    private Row find(String mode, int callers) {
      return rows.stream().filter(r -> r.mode().equals(mode) && r.callers() == callers).findFirst().orElse(null);
    }

    private static String fmt(double ms) {
      return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.2f", ms);
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("guard-throughput.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row r : rows) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "guard-throughput");
        line.put("time", when);
        line.put("machine", machine);
        line.put("policy", settings.policy());
        line.put("prompt_chars", meanChars);
        line.put("mode", r.mode());
        line.put("callers", r.callers());
        line.put("prompts_per_second", r.promptsPerSecond());
        line.put("p50_ms", Double.isNaN(r.p50Ms()) ? null : r.p50Ms());
        line.put("p99_ms", Double.isNaN(r.p99Ms()) ? null : r.p99Ms());
        line.put("stopped_share", r.blockedShare());
        line.put("guard_mean_ms", r.guardMeanMs());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      return file;
    }
  }

  static Report run(Settings settings) throws Exception {
    List<String> pieces = new ArrayList<>();
    String source;
    if (Files.isRegularFile(settings.data())) {
      for (String line : Files.readAllLines(settings.data(), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          JsonNode row = JSON.readTree(line);
          pieces.add(row.get("text").asText());
        }
      }
      source = settings.data().getFileName() + " rows joined";
    } else {
      System.err.println("guard-throughput: " + settings.data().toAbsolutePath() + " is missing (it comes from "
          + "../shared/data/guardrails); using generated prompts instead");
      pieces = generated();
      source = "generated prompts (data file missing)";
    }
    List<String> prompts = prompts(pieces, settings.prompts() + settings.warmup(), settings.bytes());
    double meanChars = prompts.stream().mapToInt(String::length).average().orElse(0);
    GuardPolicy policy = settings.policy().matches("[a-z0-9-]+") && !Files.exists(Path.of(settings.policy()))
        ? GuardPolicy.builtIn(settings.policy()) : GuardPolicy.load(Path.of(settings.policy()));
    List<Row> rows = new ArrayList<>();
    for (String mode : settings.modes()) {
      OnnxEmbeddingModel model = mode.equals("classifier")
          ? OnnxEmbeddingModel.builder().source(ModelSource.of(settings.model())).build() : null;
      GuardResources.Builder resources = GuardResources.builder().meterRegistry(new SimpleMeterRegistry());
      if (model != null) {
        resources.embeddingModel(model);
      }
      try (GuardChain chain = policy.toChain(resources.build())) {
        for (String p : prompts.subList(0, settings.warmup())) {
          chain.checkInput(InputContext.of(p));
        }
        List<String> measured = prompts.subList(settings.warmup(), prompts.size());
        rows.add(latency(mode, chain, measured));
        if (settings.callers() > 1) {
          rows.add(throughput(mode, chain, measured, settings.callers()));
        }
      } finally {
        if (model != null) {
          model.close();
        }
      }
    }
    String machine = Runtime.getRuntime().availableProcessors() + " cpus, Java " + Runtime.version();
    return new Report(settings, source, meanChars, rows, machine);
  }

  private static Row latency(String mode, GuardChain chain, List<String> prompts) {
    long[] nanos = new long[prompts.size()];
    Map<String, double[]> guardNanos = new LinkedHashMap<>();
    int stopped = 0;
    long begin = System.nanoTime();
    for (int i = 0; i < prompts.size(); i++) {
      long t0 = System.nanoTime();
      ChainResult r = chain.checkInput(InputContext.of(prompts.get(i)));
      nanos[i] = System.nanoTime() - t0;
      if (!r.allowed()) {
        stopped++;
      }
      for (GuardRecord g : r.records()) {
        double[] acc = guardNanos.computeIfAbsent(g.guard(), k -> new double[2]);
        if (g.duration().toNanos() > 0) {
          acc[0] += g.duration().toNanos();
          acc[1]++;
        }
      }
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    Arrays.sort(nanos);
    Map<String, Double> means = new LinkedHashMap<>();
    guardNanos.forEach((g, acc) -> means.put(g, acc[1] == 0 ? 0 : acc[0] / acc[1] / 1e6));
    return new Row(mode, 1, prompts.size() / seconds, nanos[nanos.length / 2] / 1e6,
        nanos[(int) Math.min(nanos.length - 1, Math.ceil(nanos.length * 0.99) - 1)] / 1e6,
        (double) stopped / prompts.size(), means);
  }

  private static Row throughput(String mode, GuardChain chain, List<String> prompts, int callers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      long begin = System.nanoTime();
      List<Future<Integer>> futures = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int caller = c;
        futures.add(pool.submit(() -> {
          int stopped = 0;
          for (int i = caller; i < prompts.size(); i += callers) {
            if (!chain.checkInput(InputContext.of(prompts.get(i))).allowed()) {
              stopped++;
            }
          }
          return stopped;
        }));
      }
      int stopped = 0;
      for (Future<Integer> f : futures) {
        stopped += f.get();
      }
      double seconds = (System.nanoTime() - begin) / 1e9;
      return new Row(mode, callers, prompts.size() / seconds, Double.NaN, Double.NaN,
          (double) stopped / prompts.size(), Map.of());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Joins consecutive pieces (cycling) and cuts each prompt to about {@code bytes} characters of whole words. */
  static List<String> prompts(List<String> pieces, int count, int bytes) {
    List<String> prompts = new ArrayList<>(count);
    int next = 0;
    for (int i = 0; i < count; i++) {
      StringBuilder b = new StringBuilder();
      while (b.length() < bytes) {
        if (b.length() > 0) {
          b.append("\n\n");
        }
        b.append(pieces.get(next++ % pieces.size()));
      }
      // cut at the last space before the size, so every prompt is about `bytes` characters of whole words
      int cut = b.length() <= bytes ? b.length() : Math.max(b.lastIndexOf(" ", bytes), bytes / 2);
      prompts.add(b.substring(0, cut));
    }
    return prompts;
  }

  private static List<String> generated() {
    String[] words = ("the customer asked about the refund policy for orders shipped last week and whether the "
        + "invoice can be sent again to the billing address on file please summarise the attached notes in three "
        + "bullet points and keep the tone friendly").split(" ");
    Random random = new Random(42);
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      StringBuilder b = new StringBuilder();
      int n = 20 + random.nextInt(60);
      for (int w = 0; w < n; w++) {
        b.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
      }
      pieces.add(b.append('.').toString());
    }
    return pieces;
  }
}
