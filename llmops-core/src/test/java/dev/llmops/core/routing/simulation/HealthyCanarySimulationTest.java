package dev.llmops.core.routing.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.routing.CanaryAction;
import dev.llmops.core.routing.CanaryState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A candidate identical to the baseline goes all the way, and is almost never rolled back by chance. */
class HealthyCanarySimulationTest {

  private static List<SimulationReport> reports;

  @BeforeAll
  static void runTwoHundredSeeds() {
    reports = Seeds.run(Scenarios.canary(0.01, 1), 200);
  }

  @Test
  void completesInAtLeastNinetyFivePercentOfFiftySeeds() {
    long completed = 0;
    for (SimulationReport r : reports.subList(0, 50)) {
      if (r.finalCanaryState() == CanaryState.COMPLETED) {
        completed++;
        assertThat(r.finalState().split()).isEqualTo(Map.of("v2", 100.0));
        assertThat(r.finalState().canaryPercent()).isEqualTo(100.0);
        assertThat(r.actions()).containsSubsequence(CanaryAction.START, CanaryAction.PROMOTE, CanaryAction.PROMOTE,
            CanaryAction.COMPLETE);
        assertThat(r.firstDecision(CanaryAction.COMPLETE).orElseThrow().canaryCalls())
            .isEqualTo(r.canaryRequestsUntilDecision());
      }
    }
    System.out.println("Healthy canary: completed in " + completed + " of 50 seeds");
    assertThat(completed).isGreaterThanOrEqualTo(48);
  }

  @Test
  void isFalselyRolledBackInAtMostOneOfTwoHundredSeeds() {
    long rolledBack = reports.stream().filter(r -> r.actions().contains(CanaryAction.ROLLBACK)).count();
    System.out.println("Healthy canary: rolled back in " + rolledBack + " of 200 seeds");
    assertThat(rolledBack).isLessThanOrEqualTo(1);
    assertThat(reports).allSatisfy(r -> {
      SimulationReport.ArmCounts route = r.arms().get("route");
      SimulationReport.ArmCounts baseline = r.arms().get("baseline");
      SimulationReport.ArmCounts canary = r.arms().get("canary");
      assertThat(route.calls() + baseline.calls() + canary.calls()).isEqualTo(r.requests());
    });
  }
}
