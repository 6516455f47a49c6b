package dev.llmops.site;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.RateLimitedException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.openai.OpenAiClient;
import dev.llmops.test.FakeClock;
import dev.llmops.test.FakeOpenAiServer;
import dev.llmops.test.ScriptedChatModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The examples of site/src/docs/testing.md; they run as tests, so the page cannot drift from the code. */
class TestingWithTheKitTest {

  /** Code under test in the examples: asks once, and once more after a rate limit. */
  static String askWithOneRetry(ChatModel model, String question) {
    try {
      return model.chat(question);
    } catch (RateLimitedException e) {
      return model.chat(question);
    }
  }

  @Test
  void scriptedModel() {
    // tag::scripted[]
    ScriptedChatModel model = ScriptedChatModel.builder()
        .fail(() -> new RateLimitedException("busy", Duration.ofSeconds(1), null)) // first call
        .reply("Refunds take 5 business days.")                                  // second call
        .build();

    String answer = askWithOneRetry(model, "How long do refunds take?");

    assertThat(answer).isEqualTo("Refunds take 5 business days.");
    assertThat(model).wasCalledTimes(2).usedWholeScript().lastUserMessageContains("refunds");
    // end::scripted[]
  }

  @Test
  void latencyOnAFakeClock() {
    // tag::clock[]
    FakeClock clock = FakeClock.create();
    ScriptedChatModel slow = ScriptedChatModel.builder()
        .otherwise("done").latency(Duration.ofSeconds(3)).clock(clock)   // advances the clock, never sleeps
        .build();

    var response = slow.chat(ChatRequest.of("go"));

    assertThat(response.latency()).isEqualTo(Duration.ofSeconds(3));
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(3));
    // end::clock[]
  }

  @Test
  void overRealHttp() {
    // tag::server[]
    ScriptedChatModel scripted = ScriptedChatModel.alwaysReplying("Hello over HTTP");
    try (FakeOpenAiServer server = FakeOpenAiServer.start(scripted);
         OpenAiClient client = OpenAiClient.builder().baseUrl(server.baseUrl()).build()) {

      var response = client.chatModel("any-model").stream(ChatRequest.of("Hi"), token -> { });

      assertThat(response).hasText("Hello over HTTP").hasFinishReason(FinishReason.STOP);
      assertThat(scripted.lastRequest().model()).isEqualTo("any-model");
    }
    // end::server[]
  }
}
