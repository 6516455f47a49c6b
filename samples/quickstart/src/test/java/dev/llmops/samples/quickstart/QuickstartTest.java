package dev.llmops.samples.quickstart;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.test.FakeOpenAiServer;
import dev.llmops.test.ScriptedChatModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuickstartTest {

  @Test
  void runsWithoutAnyEndpointConfigured() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ChatResponse response = Quickstart.run(Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(response).textContains("versioned prompts").hasFinishReason(FinishReason.STOP)
        .hasModelId("scripted-assistant");
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("No LLMOPS_BASE_URL set").contains(response.text())
        .contains("finish=STOP").containsPattern("\\d+\\+\\d+ tokens");
  }

  @Test
  void talksToTheConfiguredEndpoint() {
    ScriptedChatModel remote = ScriptedChatModel.alwaysReplying("configured endpoint answered");
    try (FakeOpenAiServer server = FakeOpenAiServer.builder().chatModel(remote).requireApiKey("sk-quick").start()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ChatResponse response = Quickstart.run(
          Map.of("LLMOPS_BASE_URL", server.baseUrl(), "LLMOPS_MODEL", "my-model", "LLMOPS_API_KEY", "sk-quick"),
          new PrintStream(bytes, true, StandardCharsets.UTF_8));

      assertThat(response).hasText("configured endpoint answered");
      assertThat(remote.lastRequest().model()).isEqualTo("my-model");
      assertThat(remote.lastRequest().temperature()).isEqualTo(0.2);
      assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("Asking " + server.baseUrl());
    }
  }
}
