package dev.llmops.core.routing.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.routing.CanaryAction;
import dev.llmops.core.routing.CanaryState;
import dev.llmops.core.routing.Metric;
import dev.llmops.core.routing.MetricEvidence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A candidate twice as slow (median and p95 doubled) is rolled back on latency, whatever the seed. */
class LatencyRegressionSimulationTest {

  @Test
  void isRolledBackInEveryOneOfFiftySeeds() {
    List<SimulationReport> reports = Seeds.run(Scenarios.canary(0.01, 2, 20, 6_000, false), 50);

    List<Long> untilRollback = new ArrayList<>();
    for (SimulationReport r : reports) {
      assertThat(r.finalCanaryState()).as("seed %d", r.seed()).isEqualTo(CanaryState.ROLLED_BACK);
      assertThat(r.actions()).as("seed %d", r.seed()).doesNotContain(CanaryAction.PROMOTE);
      MetricEvidence latency = r.firstDecision(CanaryAction.ROLLBACK).orElseThrow().event().evidence().stream()
          .filter(e -> e.metric() == Metric.LATENCY).findFirst().orElseThrow();
      assertThat(latency.verdict()).isEqualTo(MetricEvidence.Verdict.BREACH);
      assertThat(latency.test()).isEqualTo("Mann-Whitney U");
      assertThat(latency.canaryValue()).isGreaterThan(1.25 * latency.baselineValue());
      untilRollback.add(r.canaryRequestsUntilDecision());
    }
    System.out.println("Latency regression x2, 50 seeds: canary calls until rollback median "
        + Seeds.median(untilRollback) + ", worst " + Collections.max(untilRollback));
    // Latency is judged once a side has the step's 200 samples; measured worst 224.
    assertThat(Collections.max(untilRollback)).isLessThan(300);
  }
}
