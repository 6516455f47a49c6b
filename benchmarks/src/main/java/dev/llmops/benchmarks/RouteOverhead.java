package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.MultisetStatistics;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link RouteOverheadBenchmark} through JMH's {@link Runner} and reports the median and p99 of single calls per
 * method in microseconds, the router's overhead (a routed method's time minus the direct call's, measured in the same
 * run), and that overhead next to LiteLLM's published proxy overhead.
 *
 * <p>LiteLLM publishes a median "LiteLLM Overhead Duration" of 2 ms (4 proxy instances) to 12 ms (2 instances) per
 * request, measured against a fake OpenAI endpoint (https://docs.litellm.ai/docs/benchmarks). The last column divides
 * the low end, 2 ms, by our median overhead. The two are not the same measurement: LiteLLM's is a separate proxy
 * process, so its overhead includes an HTTP hop and JSON in and out, under a load test of about 1,000 requests per
 * second; ours is an in-process library call with a model that answers at once. The ratio says what choosing an
 * in-process router instead of a proxy saves per request, not that one routing algorithm is faster than the other.
 *
 * <p>JMH runs one method after another, so on a shared machine a change of load between them would show up as a
 * difference between methods. Like the other comparisons, this one therefore runs in rounds: each round runs every
 * method once (its own JMH run: forks, warmup, measurement), in an order rotated each round. The reported median and
 * p99 are over the samples of all rounds together; the min and max of the rounds' medians show the spread.
 *
 * <p>A forked run (the default, one fork) starts a JVM with this JVM's class path ({@code java.class.path}) and
 * options, so start this one with {@code -classpath}, as the {@code bench} profile does.
 */
final class RouteOverhead {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The JMH method of the baseline, which the overheads subtract. */
  static final String BASELINE = "directCall";

  /** The JMH methods, in the order of the table. */
  static final List<String> METHODS = List.of("routedCall", "routedCallDuringCanary", "routedStream", BASELINE);

  /** What each method measures, for the table. */
  static final Map<String, String> DESCRIPTIONS = Map.of(
      "routedCall", "router.chat: limits, budget, 2 deployments",
      "routedCallDuringCanary", "router.chat, 5% canary evaluated every 1 s",
      "routedStream", "router.stream, 16 pieces relayed",
      BASELINE, "baseline: model.chat called directly");

  /** LiteLLM's published median proxy overhead, low end (4 instances), in microseconds. */
  static final double LITELLM_LOW_END_MICROS = 2_000;

  /** LiteLLM's published median proxy overhead, high end (2 instances), in microseconds. */
  static final double LITELLM_HIGH_END_MICROS = 12_000;

  /** Where LiteLLM publishes those numbers. */
  static final String LITELLM_SOURCE = "https://docs.litellm.ai/docs/benchmarks";

  private RouteOverhead() {}

  /** How much to run. */
  record Settings(int rounds, int forks, int warmup, int iterations, TimeValue time, Path out) {
    static Settings parse(String[] args) {
      Map<String, String> o = CommandOptions.parse(args,
          Set.of("--rounds", "--forks", "--warmup", "--iterations", "--time", "--out"));
      int rounds = Integer.parseInt(o.getOrDefault("--rounds", "1"));
      int forks = Integer.parseInt(o.getOrDefault("--forks", "1"));
      int warmup = Integer.parseInt(o.getOrDefault("--warmup", "3"));
      int iterations = Integer.parseInt(o.getOrDefault("--iterations", "5"));
      TimeValue time = TimeValue.fromString(o.getOrDefault("--time", "2s"));
      Path out = Path.of(o.getOrDefault("--out", "target/results"));
      if (rounds < 1 || forks < 0 || warmup < 0 || iterations < 1 || time.getTime() < 1) {
        throw new IllegalArgumentException("forks and warmup must be at least 0; rounds, iterations and time at least 1");
      }
      return new Settings(rounds, forks, warmup, iterations, time, out);
    }
  }

  /**
   * One method's single-call times in microseconds: median, p99 and mean over the samples of all rounds, and the
   * lowest and highest median of a single round.
   */
  record Row(String method, double median, double p99, double mean, long samples, double minRoundMedian,
      double maxRoundMedian) {}

  /** All rows, with the settings and the machine. */
  record Report(Settings settings, List<Row> rows, String machine) {
    Row row(String method) {
      return rows.stream().filter(r -> r.method().equals(method)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no result for " + method));
    }

    /** The method's median minus the direct call's, in microseconds. */
    double overheadMedian(Row row) {
      return row.median() - row(BASELINE).median();
    }

    /** The method's p99 minus the direct call's, in microseconds. */
    double overheadP99(Row row) {
      return row.p99() - row(BASELINE).p99();
    }

    /**
     * LiteLLM's low-end median overhead divided by this method's median overhead; {@code null} for the baseline and
     * for an overhead that is not positive (within the noise), where the ratio means nothing.
     */
    @Nullable Double litellmRatio(Row row) {
      double overhead = overheadMedian(row);
      return row.method().equals(BASELINE) || !(overhead > 0) ? null : LITELLM_LOW_END_MICROS / overhead;
    }

    String table() {
      StringBuilder text = new StringBuilder();
      text.append(String.format(Locale.ROOT, "router overhead: JMH sample time, %d threads, %d round(s) x (%d fork(s), "
          + "%d x %s warmup, %d x %s measurement); %s%n", RouteOverheadBenchmark.THREADS, settings.rounds(),
          settings.forks(), settings.warmup(), settings.time(), settings.iterations(), settings.time(), machine));
      String format = "%-24s %-44s %10s %10s %10s %10s %10s %10s %10s %12s%n";
      text.append(String.format(Locale.ROOT, format, "method", "what", "median us", "p99 us", "round med", "round med",
          "samples", "overhead", "overhead", "LiteLLM low"));
      text.append(String.format(Locale.ROOT, format, "", "", "", "", "min", "max", "", "median us", "p99 us",
          "end / ours"));
      for (Row row : rows) {
        boolean baseline = row.method().equals(BASELINE);
        Double ratio = litellmRatio(row);
        text.append(String.format(Locale.ROOT, "%-24s %-44s %10.3f %10.3f %10.3f %10.3f %10d %10s %10s %12s%n",
            row.method(), DESCRIPTIONS.getOrDefault(row.method(), ""), row.median(), row.p99(), row.minRoundMedian(),
            row.maxRoundMedian(), row.samples(),
            baseline ? "-" : String.format(Locale.ROOT, "%.3f", overheadMedian(row)),
            baseline ? "-" : String.format(Locale.ROOT, "%.3f", overheadP99(row)),
            ratio == null ? "-" : String.format(Locale.ROOT, "%.0f", ratio)));
      }
      text.append("overhead: the method's time minus the direct call's (same run). LiteLLM low end / ours: LiteLLM's "
          + "published median proxy overhead, 2 ms (4 instances; 12 ms with 2), divided by our median overhead; source ")
          .append(LITELLM_SOURCE).append(". LiteLLM's is a separate proxy (an HTTP hop, JSON in and out); ours is an "
          + "in-process call.").append(System.lineSeparator());
      return text.toString();
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("route-overhead.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row row : rows) {
        boolean baseline = row.method().equals(BASELINE);
        Map<String, @Nullable Object> line = new LinkedHashMap<>();
        line.put("benchmark", "route-overhead");
        line.put("time", when);
        line.put("machine", machine);
        line.put("method", row.method());
        line.put("unit", "us");
        line.put("threads", RouteOverheadBenchmark.THREADS);
        line.put("median", row.median());
        line.put("p99", row.p99());
        line.put("mean", row.mean());
        line.put("samples", row.samples());
        line.put("round_median_min", row.minRoundMedian());
        line.put("round_median_max", row.maxRoundMedian());
        line.put("overhead_median", baseline ? null : overheadMedian(row));
        line.put("overhead_p99", baseline ? null : overheadP99(row));
        line.put("litellm_overhead_median_low_us", LITELLM_LOW_END_MICROS);
        line.put("litellm_overhead_median_high_us", LITELLM_HIGH_END_MICROS);
        line.put("litellm_source", LITELLM_SOURCE);
        line.put("ratio_litellm_low_to_overhead_median", litellmRatio(row));
        line.put("rounds", settings.rounds());
        line.put("forks", settings.forks());
        line.put("warmup_iterations", settings.warmup());
        line.put("measurement_iterations", settings.iterations());
        line.put("iteration_time", settings.time().toString());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      return file;
    }
  }

  static Report run(Settings settings) throws Exception {
    Map<String, MultisetStatistics> pooled = new LinkedHashMap<>();
    Map<String, List<Double>> roundMedians = new LinkedHashMap<>();
    for (String method : METHODS) {
      pooled.put(method, new MultisetStatistics());
      roundMedians.put(method, new ArrayList<>());
    }
    for (int round = 0; round < settings.rounds(); round++) {
      for (int i = 0; i < METHODS.size(); i++) {
        String method = METHODS.get((i + round) % METHODS.size()); // rotate the order each round
        Statistics stats = runOne(settings, method);
        stats.getRawData().forEachRemaining(e -> pooled.get(method).addValue(e.getKey(), e.getValue()));
        roundMedians.get(method).add(stats.getPercentile(50));
      }
    }
    List<Row> rows = new ArrayList<>();
    for (String method : METHODS) {
      Statistics all = pooled.get(method);
      List<Double> medians = roundMedians.get(method);
      rows.add(new Row(method, all.getPercentile(50), all.getPercentile(99), all.getMean(), all.getN(),
          Collections.min(medians), Collections.max(medians)));
    }
    String machine = Runtime.getRuntime().availableProcessors() + " cpus, Java " + Runtime.version();
    return new Report(settings, List.copyOf(rows), machine);
  }

  /** One JMH run of one method; its single-call times in microseconds. */
  private static Statistics runOne(Settings settings, String method) throws Exception {
    Options options = new OptionsBuilder()
        .include("^" + Pattern.quote(RouteOverheadBenchmark.class.getName() + "." + method) + "$")
        .mode(Mode.SampleTime)
        .timeUnit(TimeUnit.MICROSECONDS)
        .forks(settings.forks())
        .warmupIterations(settings.warmup())
        .warmupTime(settings.time())
        .measurementIterations(settings.iterations())
        .measurementTime(settings.time())
        .threads(RouteOverheadBenchmark.THREADS)
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    if (results.size() != 1) {
      throw new IllegalStateException("JMH ran " + results.size() + " benchmarks for " + method + ", expected 1");
    }
    RunResult result = results.iterator().next();
    if (!result.getPrimaryResult().getScoreUnit().equals("us/op")) {
      throw new IllegalStateException(method + " reported in " + result.getPrimaryResult().getScoreUnit());
    }
    return result.getPrimaryResult().getStatistics();
  }
}
