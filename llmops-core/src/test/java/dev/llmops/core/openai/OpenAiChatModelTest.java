package dev.llmops.core.openai;

import static dev.llmops.core.openai.OpenAiJson.completion;
import static dev.llmops.core.openai.OpenAiJson.hello;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmops.core.Ticker;
import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.ChatMessage.AssistantMessage;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.ResponseFormat;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.chat.ToolChoice;
import dev.llmops.core.chat.ToolSpecification;
import dev.llmops.core.openai.ScriptedHttpServer.RecordedRequest;
import dev.llmops.core.openai.ScriptedHttpServer.Script;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Non-streamed chat completions through a real loopback HTTP server: what is sent, what is parsed. */
class OpenAiChatModelTest extends LoopbackServerTest {

  private static final String KEY = "sk-test-0123456789abcdef";
  private static final String WEATHER_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";

  private ChatModel model() {
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey(KEY).requestTimeout(Duration.ofSeconds(5)).build();
    return client.chatModel("gpt-test");
  }

  @Test
  void sendsEveryRequestFieldAsOpenAiJson() {
    server.enqueue(Script.json(200, completion("ok", "stop")));
    ChatRequest request = ChatRequest.builder()
        .system("You are terse.")
        .user("Weather in Paris?")
        .message(new AssistantMessage("", List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))))
        .message(ChatMessage.tool("call_1", "{\"celsius\":21}"))
        .assistant("It is 21 degrees.")
        .user("Thanks")
        .temperature(0.25)
        .topP(0.9)
        .maxTokens(128)
        .stop("END", "###")
        .seed(42L)
        .presencePenalty(0.5)
        .frequencyPenalty(-0.5)
        .tool(new ToolSpecification("get_weather", "Current weather for a city", WEATHER_SCHEMA))
        .toolChoice(ToolChoice.function("get_weather"))
        .responseFormat(ResponseFormat.jsonSchema("weather_answer", "{\"type\":\"object\"}", true))
        .build();

    model().chat(request);

    RecordedRequest sent = server.onlyRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("Content-Type")).isEqualTo("application/json");
    assertThat(sent.header("Accept")).isEqualTo("application/json");
    assertThat(sent.header("Content-Length")).isEqualTo(String.valueOf(sent.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));

    JsonNode body = sent.json();
    assertThat(body.path("model").asText()).isEqualTo("gpt-test");
    JsonNode messages = body.path("messages");
    assertThat(messages).hasSize(6);
    assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
    assertThat(messages.get(0).path("content").asText()).isEqualTo("You are terse.");
    assertThat(messages.get(1).path("role").asText()).isEqualTo("user");
    assertThat(messages.get(1).path("content").asText()).isEqualTo("Weather in Paris?");
    JsonNode toolCallMessage = messages.get(2);
    assertThat(toolCallMessage.path("role").asText()).isEqualTo("assistant");
    assertThat(toolCallMessage.get("content").isNull()).as("content of a tool-call-only message").isTrue();
    JsonNode call = toolCallMessage.path("tool_calls").get(0);
    assertThat(call.path("id").asText()).isEqualTo("call_1");
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(messages.get(3).path("role").asText()).isEqualTo("tool");
    assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(messages.get(3).path("content").asText()).isEqualTo("{\"celsius\":21}");
    assertThat(messages.get(4).path("role").asText()).isEqualTo("assistant");
    assertThat(messages.get(4).path("content").asText()).isEqualTo("It is 21 degrees.");
    assertThat(messages.get(5).path("role").asText()).isEqualTo("user");

    assertThat(body.path("temperature").asDouble()).isEqualTo(0.25);
    assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.path("max_tokens").asInt()).isEqualTo(128);
    assertThat(body.path("stop").get(0).asText()).isEqualTo("END");
    assertThat(body.path("stop").get(1).asText()).isEqualTo("###");
    assertThat(body.path("seed").asLong()).isEqualTo(42L);
    assertThat(body.path("presence_penalty").asDouble()).isEqualTo(0.5);
    assertThat(body.path("frequency_penalty").asDouble()).isEqualTo(-0.5);

    JsonNode tool = body.path("tools").get(0);
    assertThat(tool.path("type").asText()).isEqualTo("function");
    assertThat(tool.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(tool.path("function").path("description").asText()).isEqualTo("Current weather for a city");
    assertThat(tool.path("function").path("parameters").isObject()).as("parameters are embedded JSON, not a string").isTrue();
    assertThat(tool.path("function").path("parameters").path("required").get(0).asText()).isEqualTo("city");

    assertThat(body.path("tool_choice").path("type").asText()).isEqualTo("function");
    assertThat(body.path("tool_choice").path("function").path("name").asText()).isEqualTo("get_weather");

    JsonNode format = body.path("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("name").asText()).isEqualTo("weather_answer");
    assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
    assertThat(format.path("json_schema").path("schema").path("type").asText()).isEqualTo("object");

    assertThat(body.has("stream")).as("a non-streamed call does not ask for a stream").isFalse();
    assertThat(body.has("stream_options")).isFalse();
  }

  @Test
  void leavesUnsetOptionsOutAndSendsJsonObjectFormatAndStringToolChoices() {
    server.enqueue(Script.json(200, completion("{}", "stop")), Script.json(200, completion("{}", "stop")));
    ChatModel model = model();

    model.chat(ChatRequest.builder().user("x").responseFormat(ResponseFormat.jsonObject()).build());
    model.chat(ChatRequest.builder().user("x")
        .tool(new ToolSpecification("lookup", "", "{}")).toolChoice(ToolChoice.required()).build());

    JsonNode first = server.requests().get(0).json();
    assertThat(first.path("response_format").path("type").asText()).isEqualTo("json_object");
    assertThat(first.has("temperature")).isFalse();
    assertThat(first.has("top_p")).isFalse();
    assertThat(first.has("max_tokens")).isFalse();
    assertThat(first.has("stop")).isFalse();
    assertThat(first.has("seed")).isFalse();
    assertThat(first.has("tools")).isFalse();
    assertThat(first.has("tool_choice")).isFalse();
    JsonNode second = server.requests().get(1).json();
    assertThat(second.has("response_format")).as("text is the default and is not sent").isFalse();
    assertThat(second.path("tool_choice").asText()).isEqualTo("required");
  }

  @Test
  void aRequestThatNamesItsModelOverridesTheDefault() {
    server.enqueue(Script.json(200, completion("ok", "stop")));

    model().chat(ChatRequest.builder().model("gpt-other").user("hi").build());

    assertThat(server.onlyRequest().json().path("model").asText()).isEqualTo("gpt-other");
  }

  @Test
  void sendsBearerTokenOrganizationProjectAndExtraHeaders() {
    server.enqueue(Script.json(200, completion("ok", "stop")));
    client = OpenAiClient.builder().baseUrl(server.baseUrl() + "/").apiKey(KEY)
        .organization("org-42").project("proj-7").header("X-Tenant", "acme").build();

    client.chatModel("gpt-test").chat(hello());

    RecordedRequest sent = server.onlyRequest();
    assertThat(sent.path()).as("a trailing slash on the base URL is dropped").isEqualTo("/v1/chat/completions");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(sent.header("OpenAI-Organization")).isEqualTo("org-42");
    assertThat(sent.header("OpenAI-Project")).isEqualTo("proj-7");
    assertThat(sent.header("X-Tenant")).isEqualTo("acme");
    assertThat(sent.hasHeader("api-key")).isFalse();
  }

  @Test
  void parsesTextUsageModelIdAndLatency() {
    server.enqueue(Script.json(200, """
        {"id":"chatcmpl-abc123","object":"chat.completion","created":1700000000,"model":"gpt-test-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there!"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29,
                  "prompt_tokens_details":{"cached_tokens":16},
                  "completion_tokens_details":{"reasoning_tokens":4}}}
        """));

    ChatResponse response = model().chat(hello());

    assertThat(response.text()).isEqualTo("Hello there!");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEqualTo(new TokenUsage(20, 9, 16, 4));
    assertThat(response.usage().totalTokens()).isEqualTo(29);
    assertThat(response.modelId()).isEqualTo("gpt-test-2024-07-18");
    assertThat(response.responseId()).isEqualTo("chatcmpl-abc123");
    assertThat(response.latency()).isGreaterThanOrEqualTo(Duration.ZERO);
    assertThat(response.timeToFirstToken()).as("only streamed calls have a first token").isNull();
    assertThat(response.toolCalls()).isEmpty();
  }

  @Test
  void aResponseWithoutModelOrUsageFallsBackToTheRequestedModel() {
    server.enqueue(Script.json(200,
        "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}"));

    ChatResponse response = model().chat(hello());

    assertThat(response.modelId()).isEqualTo("gpt-test");
    assertThat(response.usage()).isNull();
    assertThat(response.responseId()).isNull();
  }

  @Test
  void joinsTextContentParts() {
    server.enqueue(Script.json(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
        + "[{\"type\":\"text\",\"text\":\"Hello \"},{\"type\":\"image_url\"},{\"type\":\"text\",\"text\":\"world\"}]},"
        + "\"finish_reason\":\"stop\"}]}"));

    assertThat(model().chat(hello()).text()).isEqualTo("Hello world");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "stop, STOP",
      "length, LENGTH",
      "content_filter, CONTENT_FILTER",
      "tool_calls, TOOL_CALLS",
      "function_call, TOOL_CALLS",
      "eos, STOP",
      "something_new, OTHER",
  })
  void mapsFinishReasons(String wire, FinishReason expected) {
    server.enqueue(Script.json(200, completion("x", wire)));

    assertThat(model().chat(hello()).finishReason()).isEqualTo(expected);
  }

  @Test
  void parsesToolCalls() {
    server.enqueue(Script.json(200, """
        {"id":"chatcmpl-t","model":"gpt-test","choices":[{"index":0,"finish_reason":"tool_calls",
          "message":{"role":"assistant","content":null,"tool_calls":[
            {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}},
            {"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]}}]}
        """));

    ChatResponse response = model().chat(hello());

    assertThat(response.text()).isEmpty();
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.hasToolCalls()).isTrue();
    assertThat(response.toolCalls()).containsExactly(
        new ToolCall("call_a", "get_weather", "{\"city\":\"Oslo\"}"),
        new ToolCall("call_b", "get_time", "{}"));
  }

  @Test
  void toolCallsWithoutAFinishReasonCountAsToolCalls() {
    server.enqueue(Script.json(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
        + "\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}"));

    assertThat(model().chat(hello()).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void measuresLatencyWithTheConfiguredTicker() {
    server.enqueue(Script.json(200, completion("ok", "stop")));
    AtomicLong now = new AtomicLong();
    Ticker ticker = () -> now.addAndGet(Duration.ofMillis(7).toNanos());
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).ticker(ticker).build();

    ChatResponse response = client.chatModel("gpt-test").chat(hello());

    assertThat(response.latency()).as("measured on the injected ticker").isGreaterThanOrEqualTo(Duration.ofMillis(7));
    assertThat(response.latency().toNanos() % Duration.ofMillis(7).toNanos()).isZero();
  }

  @Test
  void chatWithAStringReturnsTheText() {
    server.enqueue(Script.json(200, completion("Hi!", "stop")));

    assertThat(model().chat("Say hi")).isEqualTo("Hi!");
    assertThat(server.onlyRequest().json().path("messages").get(0).path("content").asText()).isEqualTo("Say hi");
  }
}
