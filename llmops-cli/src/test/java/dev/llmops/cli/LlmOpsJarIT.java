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
}
