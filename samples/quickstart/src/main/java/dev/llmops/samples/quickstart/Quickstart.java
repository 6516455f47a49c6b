package dev.llmops.samples.quickstart;

import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.openai.OpenAiClient;
import dev.llmops.test.FakeOpenAiServer;
import dev.llmops.test.ScriptedChatModel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The quickstart: one streamed chat through llmops' OpenAI-compatible client.
 *
 * <p>With {@code LLMOPS_BASE_URL} (and {@code LLMOPS_MODEL}, and the key in {@code LLMOPS_API_KEY} if the
 * server needs one) it talks to that server — OpenAI, vLLM, Ollama, TGI. Without them it starts the test
 * kit's OpenAI-compatible server on loopback, answering from a scripted model, so it runs anywhere with no
 * account and no network.
 */
public final class Quickstart {

  private Quickstart() {}

  /** Runs the quickstart against the environment's endpoint or the loopback one. */
  public static void main(String[] args) {
    run(System.getenv(), System.out);
  }

  /**
   * Runs the quickstart.
   *
   * @param env where to read {@code LLMOPS_BASE_URL}, {@code LLMOPS_MODEL} and {@code LLMOPS_API_KEY}
   * @param out where to print the answer
   * @return the answer
   */
  public static ChatResponse run(Map<String, String> env, PrintStream out) {
    String configured = env.get("LLMOPS_BASE_URL");
    if (configured != null && !configured.isBlank()) {
      out.println("Asking " + configured);
      return ask(configured, env.getOrDefault("LLMOPS_MODEL", "gpt-4o-mini"), env.get("LLMOPS_API_KEY"), out);
    }
    ScriptedChatModel scripted = ScriptedChatModel.builder()
        .modelId("scripted-assistant")
        .when(r -> r.lastUserText().toLowerCase(java.util.Locale.ROOT).contains("llmops"),
            "llmops gives Java teams versioned prompts, retrieval with citations, guardrails, local ONNX inference, "
                + "a router with canaries and rollbacks, and a lineage record for every answer.")
        .otherwise("I am a scripted model; set LLMOPS_BASE_URL to talk to a real one.")
        .tokenInterval(Duration.ofMillis(15))
        .build();
    try (FakeOpenAiServer server = FakeOpenAiServer.start(scripted)) {
      out.println("No LLMOPS_BASE_URL set: asking a scripted model served on " + server.baseUrl());
      return ask(server.baseUrl(), "scripted-assistant", null, out);
    }
  }

  private static ChatResponse ask(String baseUrl, String modelId, @Nullable String apiKey, PrintStream out) {
    // tag::chat[]
    OpenAiClient.Builder connection = OpenAiClient.builder().baseUrl(baseUrl); // OpenAI, vLLM, Ollama, TGI, ...
    if (apiKey != null && !apiKey.isBlank()) {
      connection.apiKey(apiKey);
    }
    try (OpenAiClient client = connection.build()) {
      ChatModel model = client.chatModel(modelId);
      ChatRequest request = ChatRequest.builder()
          .system("You are a concise assistant.")
          .user("What does llmops give a Java team?")
          .temperature(0.2)
          .maxTokens(200)
          .build();

      ChatResponse response = model.stream(request, out::print); // tokens as they arrive

      out.printf("%n[%s, finish=%s, %s tokens, %d ms]%n", response.modelId(), response.finishReason(),
          response.reportedUsage().map(u -> u.inputTokens() + "+" + u.outputTokens()).orElse("unreported"),
          response.latency().toMillis());
      return response;
    }
    // end::chat[]
  }
}
