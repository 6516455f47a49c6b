package dev.llmops.core.routing.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.routing.CanaryAction;
import dev.llmops.core.routing.CanaryState;
import dev.llmops.core.routing.Metric;
import dev.llmops.core.routing.MetricEvidence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A candidate whose error rate is 5 points worse (1% to 6%) is rolled back, whatever the seed. */
class CanaryErrorRegressionSimulationTest {

  /** 25 simulated minutes: the slowest of the 50 seeds measured decided after about 15 minutes. */
  private static final long REQUESTS = 30_000;

  /**
   * The worst of 50 seeds took 1,095 canary calls when measured (median 610): at the 5% step the canary gets about
   * one call a second, and the mSPRT needs a few hundred failures-or-not to be 99% sure the gap exceeds 1 point.
   */
  private static final long WORST_BOUND = 1_500;

  @Test
  void isRolledBackInEveryOneOfFiftySeedsAndNeverPromoted() {
    List<SimulationReport> reports = Seeds.run(Scenarios.canary(0.06, 1, 20, REQUESTS, false), 50);

    List<Long> untilRollback = new ArrayList<>();
    for (SimulationReport r : reports) {
      assertThat(r.finalCanaryState()).as("seed %d", r.seed()).isEqualTo(CanaryState.ROLLED_BACK);
      assertThat(r.actions()).as("seed %d", r.seed()).doesNotContain(CanaryAction.PROMOTE, CanaryAction.COMPLETE);
      SimulationReport.Decision rollback = r.firstDecision(CanaryAction.ROLLBACK).orElseThrow();
      assertThat(rollback.event().actor()).isEqualTo("controller");
      assertThat(rollback.event().evidence()).filteredOn(e -> e.metric() == Metric.ERROR_RATE)
          .singleElement().satisfies(e -> {
            assertThat(e.verdict()).isEqualTo(MetricEvidence.Verdict.BREACH);
            assertThat(e.canaryValue()).isGreaterThan(e.baselineValue() + 0.01);
          });
      assertThat(r.finalState().split()).isEqualTo(Map.of("v1", 100.0));
      assertThat(r.canaryRequestsUntilDecision()).isEqualTo(r.canaryCallsBefore(CanaryAction.ROLLBACK).getAsLong());
      untilRollback.add(r.canaryRequestsUntilDecision());
    }
    long median = Seeds.median(untilRollback);
    long worst = Collections.max(untilRollback);
    System.out.println("Error regression 1% -> 6%, 50 seeds: canary calls until rollback median " + median
        + ", worst " + worst);
    assertThat(worst).isLessThan(WORST_BOUND);
    assertThat(median).isBetween(200L, 1_000L); // never before the step's 200 samples
  }
}
