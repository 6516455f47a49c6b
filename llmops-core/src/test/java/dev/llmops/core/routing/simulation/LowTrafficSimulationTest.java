package dev.llmops.core.routing.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.routing.CanaryAction;
import dev.llmops.core.routing.CanaryState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * At 0.02 requests a second the 5% step gets about 2 canary calls in the 30 minutes before it is inconclusive,
 * far from its 200 samples: the controller holds, then pauses for a person, and never promotes or rolls back on
 * too little data, good candidate or bad.
 */
class LowTrafficSimulationTest {

  @Test
  void onlyHoldsAndPausesOverFiftySeeds() {
    for (double candidateErrors : new double[] {0.01, 0.06}) {
      List<SimulationReport> reports = Seeds.run(Scenarios.canary(candidateErrors, 1, 0.02, 600, false), 50);
      for (SimulationReport r : reports) {
        assertThat(r.actions()).as("seed %d, candidate errors %s", r.seed(), candidateErrors)
            .isSubsetOf(CanaryAction.START, CanaryAction.HOLD, CanaryAction.PAUSE)
            .contains(CanaryAction.PAUSE);
        assertThat(r.finalCanaryState()).isEqualTo(CanaryState.PAUSED);
        assertThat(r.finalState().split()).isEqualTo(Map.of("v2", 5.0, "v1", 95.0));
        assertThat(r.firstDecision(CanaryAction.PAUSE).orElseThrow().event().reason()).contains("waiting for a person");
      }
    }
  }
}
