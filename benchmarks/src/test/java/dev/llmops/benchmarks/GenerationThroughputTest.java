package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the generation benchmark runnable and honest on a tiny workload: every mode runs every request to its exact
 * answer length, all modes agree token for token, and the table and JSON lines name every mode.
 */
class GenerationThroughputTest {

  @Test
  void aTinyRunMeasuresEveryModeAndTheModesAgree(@TempDir Path dir) throws Exception {
    GenerationThroughput.Settings settings = GenerationThroughput.Settings.parse(new String[] {
        "--requests", "6", "--prompt", "2,20", "--output", "2,12", "--layers", "1", "--hidden", "32", "--heads", "4",
        "--kv-heads", "2", "--batch", "3", "--continuous-batch", "6", "--rounds", "2", "--out", dir.toString()});

    GenerationThroughput.Report report = GenerationThroughput.run(settings);

    assertThat(report.rows()).extracting(GenerationThroughput.Row::mode)
        .containsExactly("sequential", "static", "continuous-capped", "continuous");
    long expected = report.rows().get(0).generatedTokens();
    assertThat(expected).isBetween(12L, 72L);
    assertThat(report.rows()).allSatisfy(row -> {
      assertThat(row.generatedTokens()).isEqualTo(expected);
      assertThat(row.sameTokensAsFirstMode()).isTrue();
      assertThat(row.tokensPerSecond()).isPositive();
      assertThat(row.latencyP99Ms()).isGreaterThanOrEqualTo(row.latencyP50Ms());
      assertThat(row.ttftP50Ms()).isLessThanOrEqualTo(row.latencyP50Ms());
      assertThat(row.roundTokensPerSecond()).hasSize(2).contains(row.tokensPerSecond());
      assertThat(row.roundRatiosToStatic()).hasSize(2);
    });
    assertThat(report.rows().get(1).roundRatiosToStatic()).containsOnly(1.0);
    assertThat(report.rows().get(0).steps()).as("sequential: the prefill gives the first token, a step each other")
        .isEqualTo(expected);
    assertThat(report.table()).contains("continuous-capped", "vs static");
    assertThat(Files.readAllLines(report.write(dir))).hasSize(4).allSatisfy(line -> assertThat(line)
        .contains("\"benchmark\":\"generation\""));
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> GenerationThroughput.Settings.parse(new String[] {"--modes", "turbo"}))
        .hasMessageContaining("turbo");
    assertThatThrownBy(() -> GenerationThroughput.Settings.parse(new String[] {"--prompt", "9,3"}))
        .hasMessageContaining("--prompt");
  }
}
