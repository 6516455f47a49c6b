package dev.llmops.test;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.AuthenticationException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.QuotaExceededException;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.StreamListener;
import dev.llmops.core.chat.ToolSpecification;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.openai.OpenAiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The test kit's server and core's client, end to end over loopback HTTP. */
class FakeOpenAiServerTest {

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private FakeOpenAiServer serve(FakeOpenAiServer.Builder builder) {
    FakeOpenAiServer server = builder.start();
    toClose.add(server);
    return server;
  }

  private OpenAiClient client(FakeOpenAiServer server) {
    OpenAiClient client = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey("sk-test-123")
        .requestTimeout(Duration.ofSeconds(10)).streamIdleTimeout(Duration.ofSeconds(10)).build();
    toClose.add(client);
    return client;
  }

  @Test
  void chatsThroughRealHttp() {
    ScriptedChatModel scripted = ScriptedChatModel.builder().modelId("kit-model").reply("Hello from the kit").build();
    FakeOpenAiServer server = serve(FakeOpenAiServer.builder().chatModel(scripted));
    ChatModel model = client(server).chatModel("kit-model");

    ChatResponse response = model.chat(ChatRequest.builder().system("Be kind").user("Hi").temperature(0.2).build());

    assertThat(response).hasText("Hello from the kit").hasFinishReason(FinishReason.STOP).hasUsage(5, 4)
        .hasModelId("kit-model");
    ChatRequest seen = scripted.lastRequest();
    assertThat(seen.messages()).hasSize(2);
    assertThat(seen.temperature()).isEqualTo(0.2);
    assertThat(seen.model()).isEqualTo("kit-model");
    assertThat(server.authorizations()).containsExactly("Bearer sk-test-123");
  }

  @Test
  void streamsTokensAndUsage() {
    FakeOpenAiServer server = serve(FakeOpenAiServer.builder()
        .chatModel(ScriptedChatModel.alwaysReplying("one two three four")));
    List<String> tokens = new ArrayList<>();

    ChatResponse response = client(server).chatModel("m").stream(ChatRequest.of("count"), tokens::add);

    assertThat(tokens).containsExactly("one", " two", " three", " four");
    assertThat(response).hasText("one two three four").hasFinishReason(FinishReason.STOP).hasUsage(2, 4);
    assertThat(response.timeToFirstToken()).isNotNull();
  }

  @Test
  void cancellingAStreamClosesItAndKeepsTheServerHealthy() {
    FakeOpenAiServer server = serve(FakeOpenAiServer.builder()
        .chatModel(ScriptedChatModel.builder().otherwise("a b c d e f g h").tokenInterval(Duration.ofMillis(5)).build()));
    ChatModel model = client(server).chatModel("m");
    List<String> tokens = new ArrayList<>();

    ChatResponse response = model.stream(ChatRequest.of("q"), new StreamListener() {
      @Override
      public void onToken(String token) {
        tokens.add(token);
      }

      @Override
      public boolean isCancelled() {
        return tokens.size() == 3;
      }
    });

    assertThat(response).hasText("a b c").hasFinishReason(FinishReason.CANCELLED);
    assertThat(model.chat("again")).isEqualTo("a b c d e f g h");
  }

  @Test
  void carriesToolCallsBothWays() {
    ScriptedChatModel scripted = ScriptedChatModel.builder()
        .replyWithToolCall("lookup_order", "{\"order\":\"A-17\"}")
        .replyWithToolCall("lookup_order", "{\"order\":\"B-2\"}").build();
    FakeOpenAiServer server = serve(FakeOpenAiServer.builder().chatModel(scripted));
    ChatModel model = client(server).chatModel("m");
    ChatRequest request = ChatRequest.builder().user("where is my order")
        .tool(new ToolSpecification("lookup_order", "Finds an order", "{\"type\":\"object\"}")).build();

    ChatResponse blocking = model.chat(request);
    ChatResponse streamed = model.stream(request, t -> { });

    assertThat(blocking).hasToolCall("lookup_order").hasFinishReason(FinishReason.TOOL_CALLS);
    assertThat(blocking.toolCalls().get(0).argumentsJson()).isEqualTo("{\"order\":\"A-17\"}");
    assertThat(streamed).hasToolCall("lookup_order").hasFinishReason(FinishReason.TOOL_CALLS);
    assertThat(streamed.toolCalls().get(0).argumentsJson()).isEqualTo("{\"order\":\"B-2\"}");
    assertThat(scripted.lastRequest().tools()).extracting(ToolSpecification::name).containsExactly("lookup_order");
  }

  @Test
  void turnsScriptedFailuresIntoTheHttpErrorsAClientMustHandle() {
    ScriptedChatModel scripted = ScriptedChatModel.builder()
        .fail(() -> new RateLimitedException("Rate limit reached", Duration.ofSeconds(2), null))
        .fail(() -> new QuotaExceededException("You exceeded your current quota"))
        .fail(() -> new InvalidRequestException("max_tokens is too large"))
        .fail(() -> new UnavailableException("overloaded", Duration.ofSeconds(1), null))
        .build();
    FakeOpenAiServer server = serve(FakeOpenAiServer.builder().chatModel(scripted));
    ChatModel model = client(server).chatModel("m");

    assertThatThrownBy(() -> model.chat("q")).isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("429").hasMessageContaining("Rate limit reached")
        .satisfies(e -> assertThat(((RateLimitedException) e).retryAfter()).contains(Duration.ofSeconds(2)));
    assertThatThrownBy(() -> model.chat("q")).isInstanceOf(QuotaExceededException.class);
    assertThatThrownBy(() -> model.chat("q")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("max_tokens is too large");
    assertThatThrownBy(() -> model.stream(ChatRequest.of("q"), t -> { })).isInstanceOf(UnavailableException.class)
        .hasMessageContaining("503")
        .satisfies(e -> assertThat(((UnavailableException) e).retryAfter()).contains(Duration.ofSeconds(1)));
  }

  @Test
  void aFailureAfterTheFirstTokenEndsTheStreamWithAnError() {
    ChatModel failsMidway = new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        throw new UnsupportedOperationException("stream only");
      }

      @Override
      public ChatResponse stream(ChatRequest request, StreamListener listener) {
        listener.onToken("partial");
        throw new UnavailableException("the GPU fell over");
      }
    };
    FakeOpenAiServer server = serve(FakeOpenAiServer.builder().chatModel(failsMidway));
    List<String> tokens = new ArrayList<>();

    assertThatThrownBy(() -> client(server).chatModel("m").stream(ChatRequest.of("q"), tokens::add))
        .isInstanceOf(UnavailableException.class).hasMessageContaining("the GPU fell over")
        .hasMessageContaining("after 1 tokens");
    assertThat(tokens).containsExactly("partial");
  }

  @Test
  void requiresTheApiKeyWhenConfigured() {
    FakeOpenAiServer server = serve(FakeOpenAiServer.builder()
        .chatModel(ScriptedChatModel.alwaysReplying("hi")).requireApiKey("sk-right"));
    assertThatThrownBy(() -> client(server).chatModel("m").chat("q"))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("401");
    OpenAiClient right = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey("sk-right").build();
    toClose.add(right);
    assertThat(right.chatModel("m").chat("q")).isEqualTo("hi");
  }

  @Test
  void servesEmbeddingsInInputOrder() {
    DeterministicEmbeddingModel local = DeterministicEmbeddingModel.create();
    FakeOpenAiServer server = serve(FakeOpenAiServer.builder().embeddingModel(local));
    EmbeddingModel remote = client(server).embeddingModel("text-embedding-test");
    List<String> texts = List.of("alpha", "beta gamma", "delta epsilon zeta");

    EmbeddingResult result = remote.embedAll(texts);

    assertThat(result.size()).isEqualTo(3);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(result.get(i).vector()).containsExactly(local.embed(texts.get(i)).vector());
    }
    assertThat(result.totalTokens()).isEqualTo(6);
    assertThat(result.modelId()).isEqualTo("text-embedding-test");
  }

  @Test
  void answersNotFoundForAMissingModelKind() {
    FakeOpenAiServer server = serve(FakeOpenAiServer.builder().chatModel(ScriptedChatModel.alwaysReplying("x")));
    assertThatThrownBy(() -> client(server).embeddingModel("e").embed("text"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("no embedding model");
  }

  @Test
  void servesManyClientsAtOnce() throws Exception {
    ScriptedChatModel echo = ScriptedChatModel.builder().build();
    ChatModel echoing = new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        echo.requests(); // exercise the recorder from many threads too
        return ScriptedChatModel.alwaysReplying("echo " + request.lastUserText()).chat(request);
      }
    };
    FakeOpenAiServer server = serve(FakeOpenAiServer.builder().chatModel(echoing));
    ChatModel model = client(server).chatModel("m");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String marker = "request-" + i;
      results.add(pool.submit(() -> model.chat(marker).equals("echo " + marker)));
    }
    for (Future<Boolean> result : results) {
      assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
    }
    pool.shutdown();
    assertThat(server.requestCount()).isEqualTo(200);
  }

  @Test
  void refusesToStartWithoutAModel() {
    assertThatThrownBy(() -> FakeOpenAiServer.builder().start())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a chat model");
  }

  @Test
  void aScriptThatRunsOutAnswersWithAServerErrorThatSaysSo() {
    FakeOpenAiServer server = serve(FakeOpenAiServer.builder().chatModel(ScriptedChatModel.builder().reply("once").build()));
    ChatModel model = client(server).chatModel("m");
    model.chat("first");

    assertThatThrownBy(() -> model.chat("second")).isInstanceOf(UnavailableException.class)
        .hasMessageContaining("500").hasMessageContaining("no reply left for call #2");
  }
}
