package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.test.FakeOpenAiServer;
import dev.llmops.test.ScriptedChatModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the packaged {@code target/llmops.jar} in its own JVM, as {@code bin/llmops} does. */
class LlmOpsJarIT {

  private static final Path JAR = Path.of("target", "llmops.jar");

  private record Result(int status, String out, String err) {}

  private static Result llmops(String stdin, String... args) throws IOException, InterruptedException {
    assertThat(JAR).as("the runnable jar is built in the package phase").exists();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("llmops finished").isTrue();
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void printsTheVersion() throws Exception {
    Result result = llmops("", "--version");
    assertThat(result.status()).isZero();
    assertThat(result.out()).startsWith("llmops " + LlmOpsCommand.version());
    assertThat(Files.size(JAR)).isGreaterThan(1_000_000); // it carries its dependencies
  }

  @Test
  void chatsWithALocalOpenAiCompatibleServer() throws Exception {
    try (FakeOpenAiServer server = FakeOpenAiServer.start(ScriptedChatModel.alwaysReplying("Hello from loopback"))) {
      Result result = llmops("", "chat", "--base-url", server.baseUrl(), "--model", "local", "Say hello");
      assertThat(result.err()).isEmpty();
      assertThat(result.status()).isZero();
      assertThat(result.out()).isEqualTo("Hello from loopback" + System.lineSeparator());
    }
  }

  @Test
  void readsTheQuestionFromStandardInput() throws Exception {
    ScriptedChatModel model = ScriptedChatModel.alwaysReplying("ok");
    try (FakeOpenAiServer server = FakeOpenAiServer.start(model)) {
      Result result = llmops("a question\nover two lines\n", "chat", "--base-url", server.baseUrl(), "-m", "local", "-");
      assertThat(result.status()).isZero();
      assertThat(model.lastRequest().lastUserText()).isEqualTo("a question\nover two lines");
    }
  }

  @Test
  void managesPromptsInADirectory(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String store = dir.resolve("prompts").toString();
    assertThat(llmops("", "prompts", "create", "hello", "--store", store, "--text", "Hello {{who}}!").out().strip())
        .isEqualTo("hello@1");
    assertThat(llmops("", "prompts", "label", "hello", "production", "1", "--store", store).status()).isZero();
    Result rendered = llmops("", "prompts", "render", "hello:production", "--store", store, "--var", "who=operator");
    assertThat(rendered.status()).isZero();
    assertThat(rendered.out().strip()).isEqualTo("Hello operator!");
    Result missing = llmops("", "prompts", "render", "hello:production", "--store", store);
    assertThat(missing.status()).isEqualTo(ExitCodes.FAILED);
    assertThat(missing.err()).contains("missing variable who");
  }

  @Test
  void embedsJsonLinesFromStandardInputWithTheBuiltInModel() throws Exception {
    String rows = "{\"id\": \"q1\", \"text\": \"How do I reset my password?\"}\n{\"id\": 2, \"text\": \"Invoice paid twice\"}\n";
    Result result = llmops(rows, "embed", "--model", "all-minilm-l6-v2-q", "--in", "-", "--out", "-");

    assertThat(result.err()).isEmpty();
    assertThat(result.status()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(2);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(json.readTree(lines.get(0)).path("id").asText()).isEqualTo("q1");
    assertThat(json.readTree(lines.get(0)).path("vector")).hasSize(384);
    assertThat(json.readTree(lines.get(1)).path("id").isInt()).isTrue();
    assertThat(json.readTree(lines.get(1)).path("handling").asText()).isEqualTo("whole");
  }

  @Test
  void embedsAFileWithTheFullPrecisionBuiltInModelAndReportsBadRows(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path in = dir.resolve("texts.jsonl");
    Files.writeString(in, "{\"id\": \"a\", \"text\": \"first\"}\n{\"id\": \"b\"}\n");
    Path out = dir.resolve("vectors.jsonl");

    Result result = llmops("", "embed", "--model", "all-minilm-l6-v2", "--in", in.toString(), "--out", out.toString());

    assertThat(result.status()).isEqualTo(ExitCodes.FAILED);
    assertThat(result.err()).startsWith("{\"line\":2,\"id\":\"b\",\"error\":\"\\\"text\\\" must be a string\"}")
        .contains("llmops: 1 of 2 rows failed");
    assertThat(Files.readAllLines(out)).hasSize(1).first().asString().startsWith("{\"id\":\"a\",\"vector\":[");
  }
}
