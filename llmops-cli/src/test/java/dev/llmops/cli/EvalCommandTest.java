package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.eval.EvalReport;
import dev.llmops.test.FakeOpenAiServer;
import dev.llmops.test.ScriptedChatModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

  private static final String GOLDEN = String.join("\n",
      "{\"id\": \"capital\", \"input\": \"Capital of France?\", \"assert\": [{\"type\": \"contains\", \"value\": \"Paris\"}]}",
      "{\"id\": \"refund\", \"input\": {\"prompt\": \"How long do refunds take for {{item}}?\"}, \"vars\": {\"item\": \"shoes\"}, "
          + "\"assert\": [{\"type\": \"contains\", \"value\": \"five\", \"ignore_case\": true}], \"weight\": 2}",
      "{\"id\": \"json\", \"input\": \"Answer as JSON\", \"assert\": [{\"type\": \"is-json\"}], \"repeat\": 2}",
      "{\"id\": \"math\", \"input\": \"2+2?\", \"assert\": [{\"type\": \"equals\", \"value\": \"4\"}]}");

  @TempDir Path dir;
  private FakeOpenAiServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private int run(String... args) {
    return LlmOpsCommand.commandLine(new LlmOpsCommand(Map.of()), new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
  }

  /** Right about Paris, refunds and JSON; wrong about arithmetic unless {@code mathRight}. */
  private void serve(boolean mathRight) {
    server = FakeOpenAiServer.start(ScriptedChatModel.builder()
        .when(r -> r.lastUserText().contains("France"), "Paris.")
        .when(r -> r.lastUserText().contains("refunds take for shoes"), "Five business days.")
        .when(r -> r.lastUserText().contains("JSON"), "{\"ok\": true}")
        .when(r -> r.lastUserText().contains("2+2"), mathRight ? "4" : "5")
        .build());
  }

  private Path golden(String text) throws Exception {
    Path file = dir.resolve("golden.jsonl");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void passesWhenTheWeightedPassRateReachesTheThreshold() throws Exception {
    serve(true);
    Path report = dir.resolve("out/report.json");
    Path markdown = dir.resolve("out/report.md");

    int status = run("eval", "--dataset", golden(GOLDEN).toString(), "--base-url", server.baseUrl(), "-m", "m",
        "--min-pass-rate", "0.95", "--report-json", report.toString(), "--report-md", markdown.toString());

    assertThat(status).as(err.toString()).isEqualTo(ExitCodes.OK);
    JsonNode summary = new ObjectMapper().readTree(out.toString());
    assertThat(summary.path("weighted_pass_rate").asDouble()).isEqualTo(1.0);
    assertThat(summary.path("cases_passed").asInt()).isEqualTo(4);
    assertThat(summary.path("attempts").asInt()).isEqualTo(5);
    assertThat(summary.path("passed").asBoolean()).isTrue();
    assertThat(server.requestCount()).isEqualTo(5);
    EvalReport written = EvalReport.read(report);
    assertThat(written.cases()).hasSize(4);
    assertThat(written.name()).isEqualTo("golden.jsonl");
    assertThat(Files.readString(markdown)).contains("**Weighted pass rate 100.0%**");
  }

  @Test
  void exitsWithFourBelowTheThresholdAndSaysWhy() throws Exception {
    serve(false); // math fails: weights 1 + 2 + 1 of 5 pass, 0.8
    int status = run("eval", "--dataset", golden(GOLDEN).toString(), "--base-url", server.baseUrl(), "-m", "m",
        "--min-pass-rate", "0.95", "--report-md", "-");

    assertThat(status).isEqualTo(ExitCodes.BELOW_THRESHOLD);
    assertThat(err.toString()).contains("weighted pass rate 0.8000 is below --min-pass-rate 0.95 (3 of 4 cases passed)");
    assertThat(out.toString()).contains("## Failing cases").contains("| math | 0/1 |")
        .contains("expected \"4\" but the answer was \"5\"").doesNotContain("\"weighted_pass_rate\"");

    StringWriter lenient = new StringWriter();
    int passing = LlmOpsCommand.commandLine(new LlmOpsCommand(Map.of()), new PrintWriter(lenient, true),
        new PrintWriter(new StringWriter(), true)).execute("eval", "--dataset", dir.resolve("golden.jsonl").toString(),
        "--base-url", server.baseUrl(), "-m", "m", "--min-pass-rate", "0.8");
    assertThat(passing).isEqualTo(ExitCodes.OK);
  }

  @Test
  void runsTheGoodRowsAndExitsWithOneForBadRows() throws Exception {
    serve(true);
    String text = GOLDEN + "\n{\"id\": \"broken\", \"input\": \"x\", \"assert\": [{\"type\": \"containz\"}]}\nnot json\n";

    int status = run("eval", "--dataset", golden(text).toString(), "--base-url", server.baseUrl(), "-m", "m");

    assertThat(status).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("{\"line\":5,\"id\":\"broken\",\"error\":\"assert[0]: unknown assertion type")
        .contains("{\"line\":6,\"error\":\"not JSON");
    JsonNode summary = new ObjectMapper().readTree(out.toString());
    assertThat(summary.path("cases_passed").asInt()).isEqualTo(4);
    assertThat(summary.path("bad_rows").asInt()).isEqualTo(2);
  }

  @Test
  void comparesWithABaselineAndExitsWithFiveOnARegressionWhenAsked() throws Exception {
    serve(true);
    Path baseline = dir.resolve("baseline.json");
    assertThat(run("eval", "--dataset", golden(GOLDEN).toString(), "--base-url", server.baseUrl(), "-m", "m",
        "--release", "v1", "--report-json", baseline.toString())).isZero();
    server.close();
    serve(false);
    out.getBuffer().setLength(0);

    int reported = run("eval", "--dataset", dir.resolve("golden.jsonl").toString(), "--base-url", server.baseUrl(),
        "-m", "m", "--release", "v2", "--min-pass-rate", "0.5", "--compare", baseline.toString());
    assertThat(reported).isEqualTo(ExitCodes.OK);
    JsonNode summary = new ObjectMapper().readTree(out.toString());
    assertThat(summary.path("regressed").toString()).isEqualTo("[\"math\"]");
    assertThat(summary.path("target").asText()).isEqualTo("release v2 on route eval");

    int failed = run("eval", "--dataset", dir.resolve("golden.jsonl").toString(), "--base-url", server.baseUrl(),
        "-m", "m", "--release", "v2", "--min-pass-rate", "0.5", "--compare", baseline.toString(), "--fail-on-regression");
    assertThat(failed).isEqualTo(ExitCodes.REGRESSED);
    assertThat(err.toString()).contains("math: 100% -> 0% (passed -> failed)");
  }

  @Test
  void costAssertionsUseThePricesGiven() throws Exception {
    serve(true);
    String text = "{\"id\": \"cheap\", \"input\": \"Capital of France?\", \"assert\": [{\"type\": \"cost\", \"value\": 0.5}]}";
    assertThat(run("eval", "--dataset", golden(text).toString(), "--base-url", server.baseUrl(), "-m", "m"))
        .isEqualTo(ExitCodes.BELOW_THRESHOLD); // no prices: the cost is unknown
    assertThat(run("eval", "--dataset", golden(text).toString(), "--base-url", server.baseUrl(), "-m", "m",
        "--price-input", "1", "--price-output", "2")).isEqualTo(ExitCodes.OK);
  }

  @Test
  void exitsWithThreeWhenNothingAnsweredAndRetryingMayHelp() throws Exception {
    server = FakeOpenAiServer.start(ScriptedChatModel.builder()
        .failWhen(r -> true, () -> new RateLimitedException("Rate limit reached", Duration.ofSeconds(1), null)).build());
    int status = run("eval", "--dataset", golden(GOLDEN).toString(), "--base-url", server.baseUrl(), "-m", "m");
    assertThat(status).isEqualTo(ExitCodes.RETRIABLE);
    assertThat(err.toString()).contains("Rate limit reached");
  }

  @Test
  void exitsWithTwoOnBadArguments() throws Exception {
    Path file = golden(GOLDEN);
    assertThat(run("eval", "--dataset", file.toString(), "-m", "m", "--min-pass-rate", "1.5")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--min-pass-rate must be in [0, 1] but was 1.5");
    assertThat(run("eval", "--dataset", file.toString(), "-m", "m", "--repeat", "0",
        "--base-url", "http://127.0.0.1:9/v1")).as(err.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("repeat must be from 1 to 1000 but was 0");
    assertThat(run("eval", "--dataset", file.toString(), "-m", "m", "--fail-on-regression")).isEqualTo(ExitCodes.USAGE);
    assertThat(run("eval", "-m", "m")).isEqualTo(ExitCodes.USAGE);
    assertThat(run("eval", "--dataset", dir.resolve("missing.jsonl").toString(), "-m", "m",
        "--base-url", "http://127.0.0.1:9/v1")).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("missing.jsonl does not exist");
  }
}
