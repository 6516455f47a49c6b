package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmops route simulate} on the sample scenarios in samples/route-scenarios. */
class RouteCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SAMPLES = Path.of("..", "samples", "route-scenarios");

  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return LlmOpsCommand.commandLine(new LlmOpsCommand(Map.of()), new PrintWriter(out, true),
        new PrintWriter(err, true)).execute(args);
  }

  @Test
  void theSampleScenariosEndAsTheirDescriptionsSay() throws IOException {
    assertThat(run("route", "simulate", "--scenario", SAMPLES.resolve("canary-error-regression.json").toString()))
        .isEqualTo(ExitCodes.OK);
    JsonNode errors = JSON.readTree(out.toString());
    assertThat(errors.get("scenario").asText()).isEqualTo("canary-error-regression.json");
    assertThat(errors.get("finalState").get("canaryState").asText()).isEqualTo("ROLLED_BACK");
    assertThat(errors.get("finalState").get("split").get("support-v7").asDouble()).isEqualTo(100.0);

    assertThat(run("route", "simulate", "--scenario", SAMPLES.resolve("healthy-canary.json").toString()))
        .isEqualTo(ExitCodes.OK);
    assertThat(JSON.readTree(out.toString()).get("finalState").get("canaryState").asText()).isEqualTo("COMPLETED");

    assertThat(run("route", "simulate", "--scenario", SAMPLES.resolve("latency-regression.json").toString()))
        .isEqualTo(ExitCodes.OK);
    JsonNode slow = JSON.readTree(out.toString());
    assertThat(slow.get("finalState").get("canaryState").asText()).isEqualTo("ROLLED_BACK");
    JsonNode rollback = null;
    for (JsonNode d : slow.get("decisions")) {
      if (d.get("action").asText().equals("ROLLBACK")) {
        rollback = d;
      }
    }
    assertThat(rollback).isNotNull();
    assertThat(rollback.get("reason").asText()).contains("LATENCY");
  }

  @Test
  void theSeedOverridesTheScenarioAndOutWritesTheSameBytes() throws IOException {
    String scenario = SAMPLES.resolve("latency-regression.json").toString();
    assertThat(run("route", "simulate", "--scenario", scenario, "--seed", "99")).isEqualTo(ExitCodes.OK);
    String printed = out.toString();
    assertThat(JSON.readTree(printed).get("seed").asLong()).isEqualTo(99);

    Path report = dir.resolve("reports/latency.json");
    assertThat(run("route", "simulate", "--scenario", scenario, "--seed", "99", "--out", report.toString()))
        .isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).isEmpty();
    assertThat(Files.readString(report)).isEqualTo(printed);

    assertThat(run("route", "simulate", "--scenario", scenario)).isEqualTo(ExitCodes.OK);
    assertThat(JSON.readTree(out.toString()).get("seed").asLong()).isEqualTo(7);
  }

  @Test
  void aBadScenarioIsABadArgumentNamingThePathAndWritesNothing() throws IOException {
    ObjectNode scenario = (ObjectNode) JSON.readTree(SAMPLES.resolve("healthy-canary.json").toFile());
    ((ObjectNode) scenario.get("deployments").get(1)).put("errorRate", 1.5);
    Path bad = dir.resolve("s.json");
    Files.writeString(bad, scenario.toString());
    Path report = dir.resolve("report.json");

    int status = run("route", "simulate", "--scenario", bad.toString(), "--out", report.toString());

    assertThat(status).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("s.json: deployments[1].errorRate must be within [0, 1] but was 1.5");
    assertThat(report).doesNotExist();

    assertThat(run("route", "simulate", "--scenario", dir.resolve("missing.json").toString()))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("missing.json").contains("does not exist");
    assertThat(run("route", "simulate")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--scenario");
  }
}
