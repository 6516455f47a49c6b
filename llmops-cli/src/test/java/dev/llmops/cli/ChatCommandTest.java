package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.RateLimitedException;
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

class ChatCommandTest {

  private FakeOpenAiServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private int run(Map<String, String> env, String... args) {
    return LlmOpsCommand.commandLine(new LlmOpsCommand(env), new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  void streamsTheAnswerToStandardOutput() {
    ScriptedChatModel model = ScriptedChatModel.alwaysReplying("Paris is the capital of France.");
    server = FakeOpenAiServer.start(model);

    int status = run("chat", "--base-url", server.baseUrl(), "-m", "test-model", "--system", "Answer briefly",
        "--temperature", "0.3", "--max-tokens", "50", "What", "is", "the", "capital?");

    assertThat(status).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).isEqualTo("Paris is the capital of France." + System.lineSeparator());
    assertThat(model.lastRequest().lastUserText()).isEqualTo("What is the capital?");
    assertThat(model.lastRequest().messages().get(0).text()).isEqualTo("Answer briefly");
    assertThat(model.lastRequest().temperature()).isEqualTo(0.3);
    assertThat(model.lastRequest().maxTokens()).isEqualTo(50);
    assertThat(model.lastRequest().model()).isEqualTo("test-model");
  }

  @Test
  void printsOneJsonObjectWithJson() throws Exception {
    server = FakeOpenAiServer.start(ScriptedChatModel.alwaysReplying("forty two"));

    int status = run("chat", "--base-url", server.baseUrl(), "-m", "m", "--json", "question");

    assertThat(status).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.path("text").asText()).isEqualTo("forty two");
    assertThat(json.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(json.path("usage").path("output_tokens").asInt()).isEqualTo(2);
    assertThat(json.path("latency_ms").isNumber()).isTrue();
    assertThat(out.toString().lines().count()).isEqualTo(1);
  }

  @Test
  void waitsForTheWholeAnswerWithNoStream(@TempDir Path dir) throws Exception {
    server = FakeOpenAiServer.start(ScriptedChatModel.alwaysReplying("saved answer"));
    Path file = dir.resolve("answers/one.txt");

    int status = run("chat", "--base-url", server.baseUrl(), "-m", "m", "--no-stream", "--out", file.toString(), "q");

    assertThat(status).isZero();
    assertThat(Files.readString(file)).isEqualTo("saved answer" + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("input").contains("output tokens");
  }

  @Test
  void exitsWithThreeWhenRetryingMayHelp() {
    server = FakeOpenAiServer.start(ScriptedChatModel.builder()
        .fail(() -> new RateLimitedException("Rate limit reached for requests", Duration.ofSeconds(20), null)).build());

    int status = run("chat", "--base-url", server.baseUrl(), "-m", "m", "q");

    assertThat(status).isEqualTo(ExitCodes.RETRIABLE);
    assertThat(err.toString()).startsWith("llmops: ").contains("429").contains("Rate limit reached");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void exitsWithOneWhenTheRequestIsWrong() {
    server = FakeOpenAiServer.start(ScriptedChatModel.builder()
        .fail(() -> new InvalidRequestException("This model's maximum context length is 8192 tokens")).build());

    assertThat(run("chat", "--base-url", server.baseUrl(), "-m", "m", "q")).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("maximum context length");
  }

  @Test
  void exitsWithThreeWhenNothingListens() {
    int status = run("chat", "--base-url", "http://127.0.0.1:9/v1", "-m", "m", "--timeout", "5", "q");
    assertThat(status).isEqualTo(ExitCodes.RETRIABLE);
    assertThat(err.toString()).contains("could not connect");
  }

  @Test
  void exitsWithTwoOnBadArguments() {
    assertThat(run("chat", "question")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--model");

    StringWriter fresh = new StringWriter();
    int status = LlmOpsCommand.commandLine(new LlmOpsCommand(Map.of()), new PrintWriter(new StringWriter()),
        new PrintWriter(fresh, true)).execute("chat", "-m", "m", "--temperature", "7", "--base-url", "http://127.0.0.1:9/v1", "q");
    assertThat(status).isEqualTo(ExitCodes.USAGE);
    assertThat(fresh.toString()).contains("temperature must be in [0.0, 2.0] but was 7.0");

    assertThat(run("chat", "-m", "m", "--base-url", "ftp://example", "q")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("absolute http or https URL");
  }

  @Test
  void sendsTheApiKeyFromTheNamedVariableAndNeverPrintsIt() {
    server = FakeOpenAiServer.builder().chatModel(ScriptedChatModel.alwaysReplying("authorised"))
        .requireApiKey("sk-secret-value").start();

    int denied = run(Map.of("OTHER", "sk-wrong-value"), "chat", "--base-url", server.baseUrl(), "-m", "m",
        "--api-key-env", "OTHER", "q");
    assertThat(denied).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("401").doesNotContain("sk-wrong-value");

    int allowed = run(Map.of("MY_KEY", "sk-secret-value"), "chat", "--base-url", server.baseUrl(), "-m", "m",
        "--api-key-env", "MY_KEY", "q");
    assertThat(allowed).isZero();
    assertThat(out.toString()).contains("authorised").doesNotContain("sk-secret-value");

    int missing = run(Map.of(), "chat", "--base-url", server.baseUrl(), "-m", "m", "--api-key-env", "UNSET_VAR", "q");
    assertThat(missing).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("UNSET_VAR");
  }

  @Test
  void takesTheBaseUrlFromTheEnvironment() {
    server = FakeOpenAiServer.start(ScriptedChatModel.alwaysReplying("from env"));
    assertThat(run(Map.of("LLMOPS_BASE_URL", server.baseUrl()), "chat", "-m", "m", "q")).isZero();
    assertThat(out.toString()).contains("from env");
  }

  @Test
  void printsTheVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("llmops " + LlmOpsCommand.version());
    assertThat(LlmOpsCommand.version()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void withoutASubcommandShowsUsage() {
    assertThat(run()).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("Usage: llmops").contains("chat");
  }

  @Test
  void aFailedRunLeavesAnEarlierAnswerFileAsItWas(@TempDir Path dir) throws Exception {
    server = FakeOpenAiServer.start(ScriptedChatModel.builder()
        .fail(() -> new InvalidRequestException("bad request")).build());
    Path file = dir.resolve("answer.txt");
    Files.writeString(file, "the earlier answer");

    int status = run("chat", "--base-url", server.baseUrl(), "-m", "m", "--out", file.toString(), "q");

    assertThat(status).isEqualTo(ExitCodes.FAILED);
    assertThat(Files.readString(file)).isEqualTo("the earlier answer");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }
}
