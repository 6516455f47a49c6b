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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.MultisetStatistics;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link PromptRenderBenchmark} through JMH's {@link Runner} and reports the median and p99 of single calls per
 * method, with the ratio to the {@code String.replace} baseline measured in the same run.
 *
 * <p>JMH runs one method after another, so on a shared machine a change of load between them would show up as a
 * difference between methods. Like the other comparisons, this one therefore runs in rounds: each round runs every
 * method once (its own JMH run: forks, warmup, measurement), in an order rotated each round. The reported median and
 * p99 are over the samples of all rounds together; the min and max of the rounds' medians show the spread.
 *
 * <p>A forked run (the default, one fork) starts a JVM with this JVM's class path ({@code java.class.path}) and
 * options, so start this one with {@code -classpath}, as the {@code bench} profile does.
 */
final class PromptRender {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The JMH method of the baseline, which the ratios divide by. */
  static final String BASELINE = "stringReplace";

  /** The JMH methods, in the order of the table. */
  static final List<String> METHODS = List.of("registryResolveRender", "registrySplitResolveRender", BASELINE);

  /** What each method measures, for the table. */
  static final Map<String, String> DESCRIPTIONS = Map.of(
      "registryResolveRender", "llmops: cached resolve(production) + render",
      "registrySplitResolveRender", "llmops: cached resolve(90/10 split) + render",
      BASELINE, "baseline: String.replace x5");

  private PromptRender() {}

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
   * One method's single-call times in nanoseconds: median, p99 and mean over the samples of all rounds, and the
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

    String table() {
      Row baseline = row(BASELINE);
      StringBuilder text = new StringBuilder();
      text.append(String.format(Locale.ROOT, "prompt render: JMH sample time, %d round(s) x (%d fork(s), %d x %s "
          + "warmup, %d x %s measurement); %s%n", settings.rounds(), settings.forks(), settings.warmup(), settings.time(),
          settings.iterations(), settings.time(), machine));
      String format = "%-28s %-46s %10s %10s %10s %10s %10s %10s %10s%n";
      text.append(String.format(Locale.ROOT, format, "method", "what", "median ns", "p99 ns", "round med", "round med",
          "samples", "x replace", "x replace"));
      text.append(String.format(Locale.ROOT, format, "", "", "", "", "min", "max", "", "(median)", "(p99)"));
      for (Row row : rows) {
        text.append(String.format(Locale.ROOT, "%-28s %-46s %10.0f %10.0f %10.0f %10.0f %10d %10.2f %10.2f%n",
            row.method(), DESCRIPTIONS.getOrDefault(row.method(), ""), row.median(), row.p99(), row.minRoundMedian(),
            row.maxRoundMedian(), row.samples(), row.median() / baseline.median(), row.p99() / baseline.p99()));
      }
      text.append("x replace: the method's time divided by the String.replace baseline's; above 1, llmops is slower.")
          .append(System.lineSeparator());
      return text.toString();
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("prompt-render.jsonl");
      Row baseline = row(BASELINE);
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row row : rows) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "prompt-render");
        line.put("time", when);
        line.put("machine", machine);
        line.put("method", row.method());
        line.put("unit", "ns");
        line.put("median", row.median());
        line.put("p99", row.p99());
        line.put("mean", row.mean());
        line.put("samples", row.samples());
        line.put("round_median_min", row.minRoundMedian());
        line.put("round_median_max", row.maxRoundMedian());
        line.put("ratio_to_string_replace_median", row.median() / baseline.median());
        line.put("ratio_to_string_replace_p99", row.p99() / baseline.p99());
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

  /** One JMH run of one method; its single-call times in nanoseconds. */
  private static Statistics runOne(Settings settings, String method) throws Exception {
    Options options = new OptionsBuilder()
        .include("^" + Pattern.quote(PromptRenderBenchmark.class.getName() + "." + method) + "$")
        .mode(Mode.SampleTime)
        .timeUnit(TimeUnit.NANOSECONDS)
        .forks(settings.forks())
        .warmupIterations(settings.warmup())
        .warmupTime(settings.time())
        .measurementIterations(settings.iterations())
        .measurementTime(settings.time())
        .threads(1)
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    if (results.size() != 1) {
      throw new IllegalStateException("JMH ran " + results.size() + " benchmarks for " + method + ", expected 1");
    }
    RunResult result = results.iterator().next();
    if (!result.getPrimaryResult().getScoreUnit().equals("ns/op")) {
      throw new IllegalStateException(method + " reported in " + result.getPrimaryResult().getScoreUnit());
    }
    return result.getPrimaryResult().getStatistics();
  }
}
