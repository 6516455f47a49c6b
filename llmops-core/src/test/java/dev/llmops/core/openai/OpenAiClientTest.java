package dev.llmops.core.openai;

import static dev.llmops.core.openai.OpenAiJson.completion;
import static dev.llmops.core.openai.OpenAiJson.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.openai.OpenAiJson.RecordingListener;
import dev.llmops.core.openai.ScriptedHttpServer.RecordedRequest;
import dev.llmops.core.openai.ScriptedHttpServer.Script;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Client configuration (Azure, credentials, headers, validation) and its life cycle. */
class OpenAiClientTest {

  private final ScriptedHttpServer server = ScriptedHttpServer.start();
  private OpenAiClient client;
  private ExecutorService executor;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (executor != null) {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    server.close();
  }

  // ------------------------------------------------------------------------------- Azure

  @Test
  void azureModeUsesTheDeploymentUrlAndTheApiKeyHeader() {
    server.enqueue(Script.json(200, completion("hi", "stop")),
        Script.json(200, "{\"data\":[{\"index\":0,\"embedding\":[0.5,0.25]}],\"model\":\"ada\"}"));
    client = OpenAiClient.builder().azure(server.root(), "2024-06-01").apiKey("azure-key-123").build();

    client.chatModel("gpt4o-prod").chat(hello());
    client.embeddingModel("ada-prod").embed("x");

    RecordedRequest chat = server.requests().get(0);
    assertThat(chat.path()).isEqualTo("/openai/deployments/gpt4o-prod/chat/completions");
    assertThat(chat.query()).isEqualTo("api-version=2024-06-01");
    assertThat(chat.header("api-key")).isEqualTo("azure-key-123");
    assertThat(chat.hasHeader("Authorization")).isFalse();
    RecordedRequest embeddings = server.requests().get(1);
    assertThat(embeddings.target()).isEqualTo("/openai/deployments/ada-prod/embeddings?api-version=2024-06-01");
    assertThat(embeddings.header("api-key")).isEqualTo("azure-key-123");
  }

  @Test
  void azureDeploymentNamesAreEncodedAsPathSegments() {
    server.enqueue(Script.json(200, completion("hi", "stop")));
    client = OpenAiClient.builder().azure(server.root(), "2024-06-01").apiKey("azure-key-123").build();

    client.chatModel("my deployment+1").chat(hello());

    assertThat(server.requests().get(0).target())
        .isEqualTo("/openai/deployments/my%20deployment%2B1/chat/completions?api-version=2024-06-01");
  }

  @Test
  void azureNeedsAnApiVersion() {
    assertThatThrownBy(() -> OpenAiClient.builder().azure("https://x.openai.azure.com", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("api-version");
  }

  // ------------------------------------------------------------------------------- credentials

  @Test
  void readsTheApiKeyFromTheNamedEnvironmentVariable() {
    server.enqueue(Script.json(200, completion("hi", "stop")));
    client = OpenAiClient.builder().baseUrl(server.baseUrl())
        .environment(Map.of("MY_LLM_KEY", "  sk-from-env\n"))
        .apiKeyFromEnvironment("MY_LLM_KEY")
        .build();

    client.chatModel("m").chat(hello());

    assertThat(server.onlyRequest().header("Authorization")).isEqualTo("Bearer sk-from-env");
  }

  @Test
  void aMissingOrBlankEnvironmentVariableFailsTheBuild() {
    OpenAiClient.Builder missing = OpenAiClient.builder().baseUrl(server.baseUrl())
        .environment(Map.of("OTHER", "x")).apiKeyFromEnvironment("MY_LLM_KEY");
    OpenAiClient.Builder blank = OpenAiClient.builder().baseUrl(server.baseUrl())
        .environment(Map.of("MY_LLM_KEY", "   ")).apiKeyFromEnvironment("MY_LLM_KEY");

    assertThatThrownBy(missing::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MY_LLM_KEY");
    assertThatThrownBy(blank::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MY_LLM_KEY");
  }

  @Test
  void theDefaultBaseUrlReadsOpenAiApiKey() {
    try (OpenAiClient openAi = OpenAiClient.builder().environment(Map.of("OPENAI_API_KEY", "sk-default")).build();
        OpenAiClient withoutKey = OpenAiClient.builder().environment(Map.of()).build()) {
      assertThat(openAi.baseUrl()).hasToString(OpenAiClient.OPENAI_BASE_URL);
      assertThat(openAi.toString()).contains("apiKey=****").doesNotContain("sk-default");
      assertThat(withoutKey.toString()).contains("apiKey=none");
    }
  }

  @Test
  void aCustomBaseUrlWithoutAnExplicitKeySendsNoAuthorizationEvenIfOpenAiApiKeyIsSet() {
    server.enqueue(Script.json(200, completion("hi", "stop")));
    client = OpenAiClient.builder().baseUrl(server.baseUrl())
        .environment(Map.of("OPENAI_API_KEY", "sk-must-not-leak")).build();

    client.chatModel("m").chat(hello());

    RecordedRequest sent = server.onlyRequest();
    assertThat(sent.hasHeader("Authorization")).isFalse();
    assertThat(sent.hasHeader("api-key")).isFalse();
    assertThat(sent.headers().toString()).doesNotContain("sk-must-not-leak");
  }

  @Test
  void anExplicitKeyWinsOverAnEarlierEnvironmentVariableAndViceVersa() {
    server.enqueue(Script.json(200, completion("a", "stop")), Script.json(200, completion("b", "stop")));
    Map<String, String> env = Map.of("K", "sk-env");
    try (OpenAiClient explicitLast = OpenAiClient.builder().baseUrl(server.baseUrl()).environment(env)
            .apiKeyFromEnvironment("K").apiKey("sk-explicit").build();
        OpenAiClient envLast = OpenAiClient.builder().baseUrl(server.baseUrl()).environment(env)
            .apiKey("sk-explicit").apiKeyFromEnvironment("K").build()) {
      explicitLast.chatModel("m").chat(hello());
      envLast.chatModel("m").chat(hello());
    }

    assertThat(server.requests()).extracting(r -> r.header("Authorization"))
        .containsExactly("Bearer sk-explicit", "Bearer sk-env");
  }

  @Test
  void toStringNeverShowsTheKey() {
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey("sk-secret-value").build();

    assertThat(client.toString()).doesNotContain("sk-secret-value").contains("****").contains(server.baseUrl());
    assertThat(client.chatModel("m").toString()).doesNotContain("sk-secret-value");
  }

  // ------------------------------------------------------------------------------- validation

  @Test
  void theBuilderChecksEachValueAtOnce() {
    OpenAiClient.Builder b = OpenAiClient.builder();

    assertThatThrownBy(() -> b.baseUrl("ftp://example.com")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ftp://example.com");
    assertThatThrownBy(() -> b.baseUrl("localhost:8000")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("localhost:8000");
    assertThatThrownBy(() -> b.baseUrl("http://host/v1?x=1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("query");
    assertThatThrownBy(() -> b.baseUrl("http://bad host/")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.apiKey(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.apiKeyFromEnvironment("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.header("Bad Name", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad Name");
    assertThatThrownBy(() -> b.header("X-Ok", "a\r\nInjected: yes")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line break");
    assertThatThrownBy(() -> b.header("Content-Type", "text/plain")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Content-Type");
    assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("request timeout");
    assertThatThrownBy(() -> b.streamIdleTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stream idle timeout");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.embeddingBatchSize(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> b.embeddingBatchSize(2049)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void headersTheHttpClientRefusesAreRefusedByTheBuilderNotAtTheFirstCall() {
    OpenAiClient.Builder b = OpenAiClient.builder();

    assertThatThrownBy(() -> b.header("Host", "evil.example")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Host");
    assertThatThrownBy(() -> b.header("Connection", "keep-alive")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Connection");
  }

  @Test
  void modelIdsAndDimensionsAreChecked() {
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).build();

    assertThatThrownBy(() -> client.chatModel(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.embeddingModel("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.embeddingModel("m", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimensions");
  }

  // ------------------------------------------------------------------------------- close

  @Test
  void callsAfterCloseFailWithIllegalStateAndCloseIsIdempotent() {
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).build();
    ChatModel chat = client.chatModel("m");
    EmbeddingModel embeddings = client.embeddingModel("e");

    client.close();
    client.close();

    assertThatThrownBy(() -> chat.chat(hello())).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> chat.stream(hello(), new RecordingListener())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> embeddings.embed("x")).isInstanceOf(IllegalStateException.class);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void closeWaitsForACallInFlightWhichCompletesNormally() throws Exception {
    // the server holds its answer back for a while after the request arrived
    server.enqueue(Script.json(200, completion("finished after close was called", "stop")).delayHeaders(Duration.ofMillis(300)));
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).requestTimeout(Duration.ofSeconds(10)).build();
    ChatModel model = client.chatModel("m");
    executor = Executors.newSingleThreadExecutor();
    Future<ChatResponse> inFlight = executor.submit(() -> model.chat(hello()));
    server.takeRequest(); // the call is now in flight

    client.close();

    assertThat(server.responsesStarted()).as("close returned only after the server answered").isEqualTo(1);
    assertThat(inFlight.get(10, TimeUnit.SECONDS).text()).isEqualTo("finished after close was called");
    assertThatThrownBy(() -> model.chat(hello())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeWaitsForAStreamInFlight() throws Exception {
    server.enqueue(Script.sse().event(OpenAiJson.contentChunk("a")).pause(200).event(OpenAiJson.contentChunk("b"))
        .event(OpenAiJson.finishChunk("stop")).done());
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).requestTimeout(Duration.ofSeconds(10)).build();
    ChatModel model = client.chatModel("m");
    executor = Executors.newSingleThreadExecutor();
    CompletableFuture<ChatResponse> inFlight =
        CompletableFuture.supplyAsync(() -> model.stream(hello(), new RecordingListener()), executor);
    server.takeRequest();

    client.close();

    assertThat(inFlight.get(10, TimeUnit.SECONDS).text()).isEqualTo("ab");
  }

  @Test
  void modelsNameTheirModelAndServer() {
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).build();

    assertThat(client.chatModel("gpt-x").toString()).contains("gpt-x").contains(server.baseUrl());
    assertThat(client.embeddingModel("emb-x").toString()).contains("emb-x");
    assertThat(client.embeddingModel("emb-x").dimension()).isEmpty();
    assertThat(List.of(client.baseUrl().toString())).containsExactly(server.baseUrl());
  }
}
