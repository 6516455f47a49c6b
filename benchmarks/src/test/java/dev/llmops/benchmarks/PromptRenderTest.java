package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the JMH benchmark runnable: a tiny in-process run (no fork) must measure every method, and the table and
 * the JSON lines must name them all. The benchmark's setup checks that the registry and the baseline render the
 * same text, so a rendering change that breaks the comparison fails here too.
 */
class PromptRenderTest {

  private static final List<String> METHODS =
      List.of("registryResolveRender", "registrySplitResolveRender", "stringReplace");

  @Test
  void aTinyRunMeasuresEveryMethodInEveryRoundAndWritesTheTableAndJson(@TempDir Path dir) throws Exception {
    PromptRender.Settings settings = PromptRender.Settings.parse(new String[] {
        "--rounds", "2", "--forks", "0", "--warmup", "1", "--iterations", "1", "--time", "100ms", "--out", dir.toString()});

    PromptRender.Report report = PromptRender.run(settings);

    assertThat(report.rows()).extracting(PromptRender.Row::method).containsExactlyInAnyOrderElementsOf(METHODS);
    assertThat(report.rows()).allSatisfy(row -> {
      assertThat(row.samples()).isPositive();
      assertThat(row.median()).isPositive();
      assertThat(row.p99()).isGreaterThanOrEqualTo(row.median());
      assertThat(row.minRoundMedian()).isPositive().isLessThanOrEqualTo(row.maxRoundMedian());
    });
    assertThat(report.table()).contains(METHODS).contains("median ns", "p99 ns", "x replace", "2 round(s)");
    Path file = report.write(dir);
    List<String> lines = Files.readAllLines(file);
    assertThat(file.getFileName()).hasToString("prompt-render.jsonl");
    assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line)
        .contains("\"median\"", "\"p99\"", "\"ratio_to_string_replace_median\""));
    assertThat(String.join("\n", lines)).contains(METHODS.stream().map(m -> "\"method\":\"" + m + "\"").toList());
  }

  @Test
  void theTemplateIsAboutOneKilobyteWithFiveVariables() {
    assertThat(PromptRenderBenchmark.TEMPLATE.length()).isBetween(900, 1200);
    assertThat(PromptRenderBenchmark.VALUES).hasSize(5)
        .allSatisfy((name, value) -> assertThat(PromptRenderBenchmark.TEMPLATE).containsOnlyOnce("{{" + name + "}}"));
  }
}
