package dev.llmops.core.routing.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.routing.CanaryAction;
import dev.llmops.core.routing.CanaryState;
import dev.llmops.core.routing.Metric;
import dev.llmops.core.routing.MetricEvidence;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing, determinism, dry runs, mid-run changes, manual actions and the feedback metrics of the simulator. */
class RouteSimulationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String edit(String scenario, java.util.function.Consumer<ObjectNode> change) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(scenario);
    change.accept(root);
    return root.toString();
  }

  private static ObjectNode plan(ObjectNode root) {
    return (ObjectNode) root.get("canary").get("plan");
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedAnotherRun() {
    String scenario = Scenarios.canary(0.06, 1, 20, 8_000, false);
    String first = RouteSimulation.run(scenario, "same.json").toJson();
    String second = RouteSimulation.parse(scenario, "same.json").run().toJson();
    String other = RouteSimulation.parse(scenario, "same.json").withSeed(2).run().toJson();

    assertThat(second).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(first).doesNotContain("\r").endsWith("}\n").contains("\"scenario\" : \"same.json\"");
  }

  @Test
  void theJsonReportCarriesEveryDecisionWithItsEvidence() throws Exception {
    SimulationReport report = RouteSimulation.run(Scenarios.canary(0.01, 2, 20, 6_000, false), "latency.json");
    JsonNode json = JSON.readTree(report.toJson());

    assertThat(json.get("seed").asLong()).isEqualTo(1);
    assertThat(json.get("requests").asLong()).isEqualTo(6_000);
    assertThat(json.get("decisions")).hasSize(report.decisions().size());
    JsonNode rollback = null;
    for (JsonNode d : json.get("decisions")) {
      if (d.get("action").asText().equals("ROLLBACK")) {
        rollback = d;
      }
    }
    assertThat(rollback).isNotNull();
    assertThat(rollback.get("actor").asText()).isEqualTo("controller");
    assertThat(rollback.get("toPercent").asDouble()).isEqualTo(0.0);
    assertThat(rollback.get("secondsSinceStart").asDouble()).isPositive();
    assertThat(rollback.get("time").asText()).startsWith("2026-01-01T00:");
    JsonNode latency = rollback.get("evidence").get(1);
    assertThat(latency.get("metric").asText()).isEqualTo("LATENCY");
    assertThat(latency.get("verdict").asText()).isEqualTo("BREACH");
    assertThat(latency.get("pValue").asDouble()).isLessThan(0.01);
    assertThat(json.get("finalState").get("canaryState").asText()).isEqualTo("ROLLED_BACK");
    assertThat(json.get("finalState").get("split").get("v1").asDouble()).isEqualTo(100.0);
    assertThat(json.get("arms").get("canary").get("calls").asLong())
        .isEqualTo(report.arms().get("canary").calls()).isPositive();
    assertThat(json.get("canaryRequestsUntilDecision").asLong()).isEqualTo(report.canaryRequestsUntilDecision());
  }

  @Test
  void aDryRunRecordsItsDecisionsButNeverMovesTraffic() {
    SimulationReport report = RouteSimulation.run(Scenarios.canary(0.06, 2, 20, 8_000, true), "dry.json");

    assertThat(report.decisions()).isNotEmpty().allSatisfy(d -> {
      assertThat(d.event().dryRun()).isTrue();
      if (d.event().action() != CanaryAction.START) {
        assertThat(d.event().toPercent()).isEqualTo(d.event().fromPercent()).isEqualTo(5.0);
      }
    });
    assertThat(report.firstDecision(CanaryAction.ROLLBACK)).isPresent();
    assertThat(report.finalCanaryState()).isEqualTo(CanaryState.RUNNING);
    assertThat(report.finalState().split()).isEqualTo(Map.of("v2", 5.0, "v1", 95.0));
    // The canary kept its 5% to the end: about 400 of 8,000 calls, not the ~200 it had at the would-be rollback.
    assertThat(report.arms().get("canary").calls()).isBetween(300L, 500L);
  }

  @Test
  void aDeploymentDegradedMidRunIsRolledBackAfterTheChange() throws Exception {
    String scenario = edit(Scenarios.canary(0.01, 1, 20, 9_000, false), root -> root.putArray("changes").addObject()
        .put("atRequest", 5_500).put("deployment", "model-b").put("errorRate", 0.5));

    SimulationReport report = RouteSimulation.run(scenario, "degrade.json");

    SimulationReport.Decision rollback = report.firstDecision(CanaryAction.ROLLBACK).orElseThrow();
    assertThat(rollback.event().requestNumber()).isGreaterThanOrEqualTo(5_500);
    assertThat(report.firstDecision(CanaryAction.PROMOTE)).isPresent(); // it was healthy before
    assertThat(report.arms().get("canary").errors()).isGreaterThan(20);
  }

  @Test
  void manualActionsAreRecordedAndThoseTheCanaryRefusesAreListed() throws Exception {
    String scenario = edit(Scenarios.canary(0.01, 1, 20, 4_000, false), root -> {
      var manual = root.putArray("manual");
      manual.addObject().put("atRequest", 100).put("action", "promote").put("actor", "alice").put("reason", "looks fine");
      manual.addObject().put("atRequest", 200).put("action", "abort").put("actor", "bob").put("reason", "freeze");
      manual.addObject().put("atRequest", 300).put("action", "resume").put("actor", "carol");
    });

    SimulationReport report = RouteSimulation.run(scenario, "manual.json");

    assertThat(report.actions()).containsExactly(CanaryAction.START, CanaryAction.PROMOTE, CanaryAction.ABORT);
    SimulationReport.Decision promote = report.firstDecision(CanaryAction.PROMOTE).orElseThrow();
    assertThat(promote.event().actor()).isEqualTo("alice");
    assertThat(promote.event().reason()).isEqualTo("looks fine");
    assertThat(promote.event().toPercent()).isEqualTo(25.0);
    assertThat(promote.event().evidence()).isEmpty();
    assertThat(report.finalCanaryState()).isEqualTo(CanaryState.ABORTED);
    assertThat(report.finalState().split()).isEqualTo(Map.of("v1", 100.0));
    assertThat(report.canaryRequestsUntilDecision()).isNull();
    assertThat(report.refusedManualActions()).singleElement().asString()
        .startsWith("manual[2] (resume by carol at request 300): ").contains("ABORTED");
  }

  @Test
  void aWorseQualityScoreOrGuardBlockRateIsRolledBack() throws Exception {
    String quality = edit(Scenarios.canary(0.01, 1, 20, 6_000, false), root -> {
      plan(root).put("maxQualityDrop", 0.05);
      ObjectNode q = root.putObject("quality");
      q.putObject("v1").put("mean", 0.8).put("sd", 0.15);
      q.putObject("v2").put("mean", 0.65).put("sd", 0.15);
    });
    SimulationReport byQuality = RouteSimulation.run(quality, "quality.json");
    assertThat(byQuality.finalCanaryState()).isEqualTo(CanaryState.ROLLED_BACK);
    assertThat(byQuality.firstDecision(CanaryAction.ROLLBACK).orElseThrow().event().evidence())
        .filteredOn(e -> e.metric() == Metric.QUALITY).singleElement()
        .extracting(MetricEvidence::verdict).isEqualTo(MetricEvidence.Verdict.BREACH);

    String guard = edit(Scenarios.canary(0.01, 1, 20, 6_000, false), root -> {
      plan(root).put("maxGuardBlockRateIncrease", 0.02);
      root.putObject("guardBlockRate").put("v1", 0.02).put("v2", 0.15);
    });
    SimulationReport byGuard = RouteSimulation.run(guard, "guard.json");
    assertThat(byGuard.finalCanaryState()).isEqualTo(CanaryState.ROLLED_BACK);
    assertThat(byGuard.firstDecision(CanaryAction.ROLLBACK).orElseThrow().event().evidence())
        .filteredOn(e -> e.metric() == Metric.GUARD_BLOCK_RATE).singleElement()
        .extracting(MetricEvidence::verdict).isEqualTo(MetricEvidence.Verdict.BREACH);
  }

  @Test
  void retriesAreTriedAndCountedAndTheirBackoffIsSimulated() throws Exception {
    String scenario = edit(Scenarios.canary(0.3, 1, 20, 2_000, false), root -> {
      ((ObjectNode) root.get("route")).putObject("retry").put("maxAttempts", 3).put("initialBackoff", "PT0.5S");
      root.remove("canary");
      ((ObjectNode) root.get("route")).put("baseline", "v2");
    });

    SimulationReport report = RouteSimulation.run(scenario, "retry.json");

    SimulationReport.ArmCounts route = report.arms().get("route");
    assertThat(report.finalCanaryState()).isNull();
    assertThat(report.decisions()).isEmpty();
    assertThat(route.calls()).isEqualTo(2_000);
    // 30% of tries fail, up to three tries a call: about 2.7% of calls fail in the end.
    assertThat(route.tries()).isGreaterThan(2_400);
    assertThat(route.errors()).isEqualTo(route.tries() - route.answered());
    assertThat(route.calls() - route.answered()).isBetween(20L, 100L);
  }

  @Test
  void badScenariosNameTheOriginAndThePath() throws Exception {
    String good = Scenarios.canary(0.01, 1);
    assertThatThrownBy(() -> RouteSimulation.parse(edit(good, root ->
        ((ObjectNode) root.get("deployments").get(1)).put("errorRate", 1.5)), "s.json"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("s.json: deployments[1].errorRate must be within [0, 1] but was 1.5");
    assertThatThrownBy(() -> RouteSimulation.parse(edit(good, root -> root.put("requestz", 5)), "s.json"))
        .hasMessageStartingWith("s.json: the scenario has unknown key(s) [requestz]");
    assertThatThrownBy(() -> RouteSimulation.parse(edit(good, root -> root.put("requests", "many")), "s.json"))
        .hasMessage("s.json: requests must be a whole number but was the string \"many\"");
    assertThatThrownBy(() -> RouteSimulation.parse(edit(good, root ->
        ((ObjectNode) root.get("canary")).put("candidate", "v9")), "s.json"))
        .hasMessage("s.json: canary.candidate names unknown release 'v9'; known: [v1, v2]");
    assertThatThrownBy(() -> RouteSimulation.parse(edit(good, root ->
        ((ObjectNode) plan(root).get("steps").get(2)).put("percent", 20)), "s.json"))
        .hasMessageStartingWith("s.json: canary.plan is invalid: a canary plan's steps must increase");
    assertThatThrownBy(() -> RouteSimulation.parse(edit(good, root ->
        ((ObjectNode) plan(root).get("steps").get(0)).put("minDuration", "2 minutes")), "s.json"))
        .hasMessage("s.json: canary.plan.steps[0].minDuration must be an ISO-8601 duration such as PT2M or PT15S "
            + "but was '2 minutes'");
    assertThatThrownBy(() -> RouteSimulation.parse(edit(good, root ->
        ((ObjectNode) root.get("deployments").get(0).get("latency")).put("p95", 100)), "s.json"))
        .hasMessage("s.json: deployments[0].latency.p95 must be at least the median (800.0 ms) but was 100.0");
    assertThatThrownBy(() -> RouteSimulation.parse("{\"requests\": 1,", "s.json"))
        .hasMessageStartingWith("s.json: not valid JSON at line 1");
    assertThatThrownBy(() -> RouteSimulation.parse(edit(good, root -> root.putArray("manual").addObject()
        .put("atRequest", 5).put("action", "promote-all")), "s.json"))
        .hasMessage("s.json: manual[0].action must be one of [promote, pause, resume, rollback, abort] but was "
            + "'promote-all'");
  }
}
