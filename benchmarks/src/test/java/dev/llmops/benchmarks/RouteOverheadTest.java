package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the JMH benchmark runnable: a tiny in-process run (no fork) must measure every method, and the table and
 * the JSON lines must name them all with their overheads. The benchmark's setup checks that routed calls reach the
 * primary deployment at a cost and that the canary takes about 5% of the units, and its teardown that the canary
 * still runs, so a router change that breaks the comparison fails here too.
 */
class RouteOverheadTest {

  private static final List<String> METHODS =
      List.of("directCall", "routedCall", "routedCallDuringCanary", "routedStream");

  @Test
  void aTinyRunMeasuresEveryMethodInEveryRoundAndWritesTheTableAndJson(@TempDir Path dir) throws Exception {
    RouteOverhead.Settings settings = RouteOverhead.Settings.parse(new String[] {
        "--rounds", "2", "--forks", "0", "--warmup", "1", "--iterations", "1", "--time", "100ms", "--out", dir.toString()});

    RouteOverhead.Report report = RouteOverhead.run(settings);

    assertThat(report.rows()).extracting(RouteOverhead.Row::method).containsExactlyInAnyOrderElementsOf(METHODS);
    assertThat(report.rows()).allSatisfy(row -> {
      assertThat(row.samples()).isPositive();
      assertThat(row.median()).isPositive();
      assertThat(row.p99()).isGreaterThanOrEqualTo(row.median());
      assertThat(row.minRoundMedian()).isPositive().isLessThanOrEqualTo(row.maxRoundMedian());
    });
    RouteOverhead.Row routed = report.row("routedCall");
    assertThat(report.overheadMedian(routed)).isCloseTo(routed.median() - report.row("directCall").median(), within(1e-9));
    assertThat(report.litellmRatio(report.row("directCall"))).isNull();
    assertThat(report.table()).contains(METHODS)
        .contains("median us", "p99 us", "overhead", "LiteLLM low", "2 round(s)", "8 threads",
            "https://docs.litellm.ai/docs/benchmarks");
    Path file = report.write(dir);
    List<String> lines = Files.readAllLines(file);
    assertThat(file.getFileName()).hasToString("route-overhead.jsonl");
    assertThat(lines).hasSize(4).allSatisfy(line -> assertThat(line)
        .contains("\"median\"", "\"p99\"", "\"overhead_median\"", "\"ratio_litellm_low_to_overhead_median\""));
    assertThat(String.join("\n", lines)).contains(METHODS.stream().map(m -> "\"method\":\"" + m + "\"").toList());
  }

  @Test
  void theRatioPutsLiteLlmsLowEndOverAPositiveOverheadOnly() {
    RouteOverhead.Settings settings = RouteOverhead.Settings.parse(new String[0]);
    RouteOverhead.Report report = new RouteOverhead.Report(settings, List.of(
        new RouteOverhead.Row("routedCall", 5.0, 40.0, 6.0, 100, 4.0, 6.0),
        new RouteOverhead.Row("routedStream", 0.9, 3.0, 1.0, 100, 0.9, 0.9),
        new RouteOverhead.Row("directCall", 1.0, 2.0, 1.0, 100, 1.0, 1.0)), "test machine");

    assertThat(report.overheadMedian(report.row("routedCall"))).isEqualTo(4.0);
    assertThat(report.overheadP99(report.row("routedCall"))).isEqualTo(38.0);
    assertThat(report.litellmRatio(report.row("routedCall"))).isEqualTo(500.0);
    assertThat(report.litellmRatio(report.row("routedStream"))).isNull(); // faster than direct: noise, no ratio
    assertThat(report.table()).contains("500");
  }
}
