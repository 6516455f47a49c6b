package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.inference.ExecutionSettings;
import dev.llmops.inference.generate.GenerationRequest;
import dev.llmops.inference.generate.GenerationResult;
import dev.llmops.inference.generate.GenerationStats;
import dev.llmops.inference.generate.OnnxChatModel;
import dev.llmops.inference.generate.SamplingParameters;
import dev.llmops.inference.generate.SchedulerSettings;
import dev.llmops.inference.generate.Scheduling;
import dev.llmops.inference.generate.SyntheticDecoder;
import java.io.IOException;
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
 * Sequential, static and continuous batching of one decoder on one workload, in one run: {@code --requests} requests
 * (64) arrive together, each with a prompt of a uniformly drawn length in {@code --prompt MIN,MAX} (8,256) and an
 * answer of exactly a drawn length in {@code --output MIN,MAX} (8,256; the end-of-sequence token is suppressed until
 * then, as vLLM's benchmarks ignore it), decoded greedily. Measured per mode: generated tokens per second of wall
 * time, time to first token and latency (both from submission, p50/p99), ONNX Runtime steps, preemptions; and whether
 * every mode produced the same tokens for every request. The modes run in turn in each of {@code --rounds} rounds (3),
 * so a change of load on a shared machine hits them alike; each mode reports its median round, and every round's
 * ratio to static batching is shown.
 *
 * <p>The model is a {@link SyntheticDecoder} written for the run (random weights, byte-level vocabulary; its shape
 * from {@code --layers/--hidden/--heads/--kv-heads}). Every mode gets the same key/value cache cap: by default what a
 * static batch of {@code --batch} requests needs (each reserves the longest prompt plus the longest answer), which is
 * how static batching must size its cache. Modes: {@code sequential} (one request at a time), {@code static}
 * (batches of {@code --batch} that wait for their longest member), {@code continuous-capped} (continuous with at most
 * {@code --batch} sequences: only the scheduling differs from static) and {@code continuous} (continuous with at
 * most {@code --continuous-batch} sequences, admitted as the cache's blocks allow: what paging buys at the same
 * memory).
 */
final class GenerationThroughput {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> OPTIONS = Set.of("--requests", "--prompt", "--output", "--layers", "--hidden",
      "--heads", "--kv-heads", "--batch", "--continuous-batch", "--kv-tokens", "--modes", "--seed", "--device",
      "--rounds", "--out");

  private GenerationThroughput() {}

  record Settings(int requests, int minPrompt, int maxPrompt, int minOutput, int maxOutput, int layers, int hidden,
      int heads, int kvHeads, int batch, int continuousBatch, int kvTokens, List<String> modes, long seed,
      String device, int rounds, Path out) {

    static Settings parse(String[] args) {
      Map<String, String> o = CommandOptions.parse(args, OPTIONS);
      int[] prompt = range(o.getOrDefault("--prompt", "8,256"), "--prompt");
      int[] output = range(o.getOrDefault("--output", "8,256"), "--output");
      int batch = Integer.parseInt(o.getOrDefault("--batch", "16"));
      int kvTokens = Integer.parseInt(o.getOrDefault("--kv-tokens", Integer.toString(batch * (prompt[1]
          + output[1]))));
      List<String> modes = Arrays.asList(o.getOrDefault("--modes", "sequential,static,continuous-capped,continuous")
          .split(","));
      for (String mode : modes) {
        if (!Set.of("sequential", "static", "continuous-capped", "continuous").contains(mode)) {
          throw new IllegalArgumentException("unknown mode " + mode
              + "; known: sequential, static, continuous-capped, continuous");
        }
      }
      String device = o.getOrDefault("--device", "cpu");
      if (!device.equals("cpu") && !device.equals("cuda")) {
        throw new IllegalArgumentException("--device is cpu or cuda, not " + device);
      }
      return new Settings(Integer.parseInt(o.getOrDefault("--requests", "64")), prompt[0], prompt[1], output[0],
          output[1], Integer.parseInt(o.getOrDefault("--layers", "4")), Integer.parseInt(o.getOrDefault("--hidden",
          "256")), Integer.parseInt(o.getOrDefault("--heads", "8")), Integer.parseInt(o.getOrDefault("--kv-heads",
          "4")), batch, Integer.parseInt(o.getOrDefault("--continuous-batch", "64")), kvTokens, modes,
          Long.parseLong(o.getOrDefault("--seed", "1")), device, Integer.parseInt(o.getOrDefault("--rounds", "3")),
          Path.of(o.getOrDefault("--out", "target/benchmarks")));
    }

    private static int[] range(String value, String name) {
      String[] parts = value.split(",");
      if (parts.length != 2) {
        throw new IllegalArgumentException(name + " takes MIN,MAX, not " + value);
      }
      int[] r = {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
      if (r[0] < 1 || r[1] < r[0]) {
        throw new IllegalArgumentException(name + " needs 1 <= MIN <= MAX, not " + value);
      }
      return r;
    }
  }

  /**
   * One mode's figures: those of its median round by tokens per second, with every round's tokens per second and,
   * per round, the ratio to static batching measured in the same round.
   */
  record Row(String mode, int maxSequences, double wallSeconds, long generatedTokens, double tokensPerSecond,
      double ttftP50Ms, double ttftP99Ms, double latencyP50Ms, double latencyP99Ms, long steps, long preemptions,
      boolean sameTokensAsFirstMode, List<Double> roundTokensPerSecond, List<Double> roundRatiosToStatic) {}

  record Report(Settings settings, List<Row> rows, String model, String machine) {

    String table() {
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "generation: %s; %d requests at once, prompts %d-%d, answers %d-%d tokens; "
          + "key/value cache %d tokens for every mode; %s%n", model, settings.requests(), settings.minPrompt(),
          settings.maxPrompt(), settings.minOutput(), settings.maxOutput(), settings.kvTokens(), machine));
      t.append(String.format(Locale.ROOT, "%-18s %5s %8s %9s %10s %10s %10s %10s %7s %8s %6s %s%n", "mode", "seqs",
          "wall s", "tokens/s", "ttft p50", "ttft p99", "lat p50", "lat p99", "steps", "preempt", "same",
          "vs static per round"));
      for (Row r : rows) {
        StringBuilder ratios = new StringBuilder();
        for (double ratio : r.roundRatiosToStatic()) {
          ratios.append(String.format(Locale.ROOT, "%.2fx ", ratio));
        }
        t.append(String.format(Locale.ROOT, "%-18s %5d %8.2f %9.1f %10s %10s %10s %10s %7d %8d %6s %s%n", r.mode(),
            r.maxSequences(), r.wallSeconds(), r.tokensPerSecond(), ms(r.ttftP50Ms()), ms(r.ttftP99Ms()),
            ms(r.latencyP50Ms()), ms(r.latencyP99Ms()), r.steps(), r.preemptions(),
            r.sameTokensAsFirstMode() ? "yes" : "NO", ratios.toString().trim()));
      }
      t.append(String.format(Locale.ROOT, "%d rounds, the modes in turn in each; each row is its mode's median round "
          + "by tokens/s. tokens/s: generated tokens over the wall time of the whole workload; ttft and latency from "
          + "submission (queueing included), in ms; same: every request got the same tokens in every round and mode "
          + "as in the first; vs static: tokens/s over static batching's in the same round.%n", settings.rounds()));
      return t.toString();
    }

    private static String ms(double value) {
      return String.format(Locale.ROOT, "%.0f", value);
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("generation.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row r : rows) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "generation");
        line.put("time", when);
        line.put("machine", machine);
        line.put("model", model);
        line.put("device", settings.device());
        line.put("requests", settings.requests());
        line.put("kv_cache_tokens", settings.kvTokens());
        line.put("mode", r.mode());
        line.put("max_sequences", r.maxSequences());
        line.put("wall_seconds", r.wallSeconds());
        line.put("generated_tokens", r.generatedTokens());
        line.put("tokens_per_second", r.tokensPerSecond());
        line.put("ttft_p50_ms", r.ttftP50Ms());
        line.put("ttft_p99_ms", r.ttftP99Ms());
        line.put("latency_p50_ms", r.latencyP50Ms());
        line.put("latency_p99_ms", r.latencyP99Ms());
        line.put("steps", r.steps());
        line.put("preemptions", r.preemptions());
        line.put("same_tokens_as_first_mode", r.sameTokensAsFirstMode());
        line.put("round_tokens_per_second", r.roundTokensPerSecond());
        line.put("round_ratios_to_static", r.roundRatiosToStatic());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      return file;
    }
  }

  static Report run(Settings s) throws Exception {
    Path dir = Files.createTempDirectory("llmops-generation-bench");
    try {
      int context = s.maxPrompt() + s.maxOutput() + 1;
      SyntheticDecoder.builder().layers(s.layers()).hidden(s.hidden()).heads(s.heads()).kvHeads(s.kvHeads())
          .maxPositions(context).seed(s.seed()).write(dir);
      Random random = new Random(s.seed());
      List<GenerationRequest> requests = new ArrayList<>();
      for (int i = 0; i < s.requests(); i++) {
        int[] prompt = new int[s.minPrompt() + random.nextInt(s.maxPrompt() - s.minPrompt() + 1)];
        for (int k = 0; k < prompt.length; k++) {
          prompt[k] = 32 + random.nextInt(95);
        }
        int answer = s.minOutput() + random.nextInt(s.maxOutput() - s.minOutput() + 1);
        requests.add(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(answer).withMinNewTokens(answer)));
      }
      long kvBytes = (long) s.kvTokens() * 2L * s.layers() * s.kvHeads() * (s.hidden() / s.heads()) * Float.BYTES;
      ExecutionSettings execution = s.device().equals("cuda") ? ExecutionSettings.cuda(0).withFallbackToCpu(false)
          : ExecutionSettings.cpu();
      Map<String, List<Row>> measured = new LinkedHashMap<>();
      List<int[]> firstTokens = null;
      for (int round = 0; round < s.rounds(); round++) {
        for (String mode : s.modes()) {
          SchedulerSettings scheduler = switch (mode) {
            case "sequential" -> SchedulerSettings.defaults().withScheduling(Scheduling.STATIC)
                .withMaxBatchSequences(1);
            case "static" -> SchedulerSettings.defaults().withScheduling(Scheduling.STATIC)
                .withMaxBatchSequences(s.batch());
            case "continuous-capped" -> SchedulerSettings.defaults().withMaxBatchSequences(s.batch());
            default -> SchedulerSettings.defaults().withMaxBatchSequences(s.continuousBatch());
          };
          scheduler = scheduler.withKvCacheBytes(kvBytes).withQueueCapacity(Math.max(1024, s.requests()));
          try (OnnxChatModel model = OnnxChatModel.builder().directory(dir).id("bench-" + mode).execution(execution)
              .scheduler(scheduler).build()) {
            // Warm-up: two short requests load the session's kernels.
            model.generate(GenerationRequest.ofTokens(new int[] {72, 105}, SamplingParameters.greedy(4)));
            model.generate(GenerationRequest.ofTokens(new int[] {72, 105, 33}, SamplingParameters.greedy(4)));
            GenerationStats before = model.stats();
            Timed timed = runAll(model, requests);
            GenerationStats after = model.stats();
            List<int[]> tokens = timed.results().stream().map(GenerationResult::tokenIds).toList();
            boolean same = true;
            if (firstTokens == null) {
              firstTokens = tokens;
            } else {
              for (int i = 0; i < tokens.size(); i++) {
                same &= Arrays.equals(tokens.get(i), firstTokens.get(i));
              }
            }
            Row row = row(mode, scheduler.maxBatchSequences(), timed, after.steps() - before.steps(),
                after.preemptions() - before.preemptions(), same);
            measured.computeIfAbsent(mode, m -> new ArrayList<>()).add(row);
            System.err.printf(Locale.ROOT, "round %d, %s: %.1f tokens/s%n", round + 1, mode, row.tokensPerSecond());
          }
        }
      }
      List<Row> rows = new ArrayList<>();
      for (Map.Entry<String, List<Row>> entry : measured.entrySet()) {
        List<Row> rounds = entry.getValue();
        List<Double> speeds = rounds.stream().map(Row::tokensPerSecond).toList();
        List<Double> ratios = new ArrayList<>();
        List<Row> statics = measured.get("static");
        for (int i = 0; statics != null && i < rounds.size(); i++) {
          ratios.add(rounds.get(i).tokensPerSecond() / statics.get(i).tokensPerSecond());
        }
        boolean same = rounds.stream().allMatch(Row::sameTokensAsFirstMode);
        Row median = rounds.stream().sorted(java.util.Comparator.comparingDouble(Row::tokensPerSecond)).toList()
            .get(rounds.size() / 2);
        rows.add(new Row(median.mode(), median.maxSequences(), median.wallSeconds(), median.generatedTokens(),
            median.tokensPerSecond(), median.ttftP50Ms(), median.ttftP99Ms(), median.latencyP50Ms(),
            median.latencyP99Ms(), median.steps(), median.preemptions(), same, speeds, ratios));
      }
      String model = String.format(Locale.ROOT, "synthetic decoder, %d layers, hidden %d, %d heads sharing %d "
          + "key/value heads, vocabulary 262, %s", s.layers(), s.hidden(), s.heads(), s.kvHeads(), s.device());
      String machine = Runtime.getRuntime().availableProcessors() + " cpus, Java " + Runtime.version();
      return new Report(s, rows, model, machine);
    } finally {
      Directories.delete(dir);
    }
  }

  /** The results in request order and the wall time from the first submission to the last result. */
  private record Timed(List<GenerationResult> results, long nanos) {}

  /** Submits every request at once (one thread each) and waits for all. */
  private static Timed runAll(OnnxChatModel model, List<GenerationRequest> requests) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(requests.size());
    try {
      long start = System.nanoTime();
      List<Future<GenerationResult>> futures = new ArrayList<>();
      for (GenerationRequest r : requests) {
        futures.add(pool.submit(() -> model.generate(r)));
      }
      List<GenerationResult> results = new ArrayList<>();
      for (Future<GenerationResult> f : futures) {
        results.add(f.get());
      }
      return new Timed(results, System.nanoTime() - start);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Row row(String mode, int maxSequences, Timed timed, long steps, long preemptions, boolean same) {
    List<GenerationResult> results = timed.results();
    double wall = timed.nanos() / 1e9;
    long generated = results.stream().mapToLong(GenerationResult::generatedTokens).sum();
    double[] ttft = results.stream().mapToDouble(r -> r.timeToFirstToken().toNanos() / 1e6).sorted().toArray();
    double[] latency = results.stream().mapToDouble(r -> r.latency().toNanos() / 1e6).sorted().toArray();
    return new Row(mode, maxSequences, wall, generated, generated / wall, percentile(ttft, 0.5),
        percentile(ttft, 0.99), percentile(latency, 0.5), percentile(latency, 0.99), steps, preemptions, same,
        List.of(), List.of());
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
