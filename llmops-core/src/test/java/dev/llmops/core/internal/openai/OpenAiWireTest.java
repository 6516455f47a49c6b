package dev.llmops.core.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.MalformedResponseException;
import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.ChatMessage.AssistantMessage;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.ResponseFormat;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.chat.ToolChoice;
import dev.llmops.core.chat.ToolSpecification;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiWireTest {

  // Compact JSON: the wire format embeds schemas as JSON and writes them back compactly.
  private static final String LOOKUP_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"},\"limit\":{\"type\":\"integer\"}},\"required\":[\"query\"]}";
  private static final String CLOCK_SCHEMA = "{\"type\":\"object\",\"properties\":{}}";
  private static final String ANSWER_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"}},\"additionalProperties\":false}";

  /** A request that sets every field. */
  static ChatRequest everyField() {
    return ChatRequest.builder()
        .model("gpt-roundtrip")
        .system("Be precise.")
        .user("Find the docs on retries.")
        .message(new AssistantMessage("Looking.", List.of(
            new ToolCall("call_1", "lookup", "{\"query\":\"retries\",\"limit\":3}"),
            new ToolCall("call_2", "clock", "{}"))))
        .message(ChatMessage.tool("call_1", "[\"doc-1\",\"doc-2\"]"))
        .message(ChatMessage.tool("call_2", "\"12:00\""))
        .message(new AssistantMessage("", List.of(new ToolCall("call_3", "lookup", "{\"query\":\"backoff\"}"))))
        .message(ChatMessage.tool("call_3", "[]"))
        .assistant("Here is what I found.")
        .user("Thanks; now as JSON, with unicode \u00e9\u4e2d\uD83D\uDE00 and \"quotes\"\n.")
        .temperature(0.7)
        .topP(0.95)
        .maxTokens(256)
        .stop("\n\n", "END")
        .seed(1234L)
        .presencePenalty(0.1)
        .frequencyPenalty(-0.2)
        .tool(new ToolSpecification("lookup", "Searches the docs", LOOKUP_SCHEMA))
        .tool(new ToolSpecification("clock", "", CLOCK_SCHEMA))
        .toolChoice(ToolChoice.function("lookup"))
        .responseFormat(ResponseFormat.jsonSchema("answer_v1", ANSWER_SCHEMA, true))
        .build();
  }

  static Stream<Arguments> requests() {
    ChatRequest all = everyField();
    return Stream.of(
        Arguments.of("every field", all),
        Arguments.of("json_object, tool choice auto", all.toBuilder().responseFormat(ResponseFormat.jsonObject())
            .toolChoice(ToolChoice.auto()).build()),
        Arguments.of("not strict, tool choice none", all.toBuilder()
            .responseFormat(ResponseFormat.jsonSchema("s", ANSWER_SCHEMA, false)).toolChoice(ToolChoice.none()).build()),
        Arguments.of("tool choice required", all.toBuilder().toolChoice(ToolChoice.required()).build()),
        Arguments.of("minimal", ChatRequest.builder().model("m").user("hi").build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void aChatRequestSurvivesTheWireUnchanged(String name, ChatRequest request) {
    ObjectNode body = OpenAiWire.chatRequest(request, request.model(), false, false);

    assertThat(OpenAiWire.parseChatRequest(body)).isEqualTo(request);
  }

  @Test
  void aChatRequestSurvivesTheWireAsText() throws Exception {
    ChatRequest request = everyField();
    String text = OpenAiWire.JSON.writeValueAsString(OpenAiWire.chatRequest(request, "gpt-roundtrip", true, true));

    assertThat(OpenAiWire.parseChatRequest(OpenAiWire.JSON.readTree(text))).isEqualTo(request);
  }

  @Test
  void streamFlagsAreWrittenOnlyWhenAskedFor() {
    ChatRequest request = ChatRequest.of("hi");

    assertThat(OpenAiWire.chatRequest(request, "m", false, true).has("stream")).isFalse();
    ObjectNode streamed = OpenAiWire.chatRequest(request, "m", true, false);
    assertThat(streamed.path("stream").asBoolean()).isTrue();
    assertThat(streamed.has("stream_options")).isFalse();
    assertThat(OpenAiWire.chatRequest(request, "m", true, true).path("stream_options").path("include_usage").asBoolean())
        .isTrue();
  }

  @Test
  void theModelArgumentIsWhatIsSent() {
    assertThat(OpenAiWire.chatRequest(ChatRequest.of("hi"), "default-model", false, false).path("model").asText())
        .isEqualTo("default-model");
  }

  @Test
  void anInvalidToolSchemaIsRefusedWhenTheToolIsDeclared() {
    assertThatThrownBy(() -> new ToolSpecification("broken", "", "{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tool 'broken'");
  }

  @Test
  void parseChatRequestReadsServerVariants() throws Exception {
    JsonNode body = OpenAiWire.JSON.readTree("{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"developer\",\"content\":\"dev\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}],"
        + "\"max_completion_tokens\":9,\"max_tokens\":99,\"stop\":\"STOP\"}");

    ChatRequest request = OpenAiWire.parseChatRequest(body);

    assertThat(request.messages()).containsExactly(ChatMessage.system("dev"), ChatMessage.user("ab"));
    assertThat(request.maxTokens()).as("max_completion_tokens wins").isEqualTo(9);
    assertThat(request.stop()).containsExactly("STOP");
  }

  @Test
  void parseChatRequestRejectsMissingMessagesAndUnknownRoles() throws Exception {
    assertThatThrownBy(() -> OpenAiWire.parseChatRequest(OpenAiWire.JSON.readTree("{\"model\":\"m\"}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messages");
    assertThatThrownBy(() -> OpenAiWire.parseChatRequest(
        OpenAiWire.JSON.readTree("{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wizard");
  }

  static Stream<ChatResponse> responses() {
    return Stream.of(
        new ChatResponse("Hello \uD83D\uDE00", List.of(), FinishReason.STOP, new TokenUsage(10, 5, 4, 2), "gpt-rt",
            Duration.ofMillis(250), null, "chatcmpl-9"),
        new ChatResponse("", List.of(new ToolCall("call_1", "lookup", "{\"q\":1}"), new ToolCall("call_2", "clock", "{}")),
            FinishReason.TOOL_CALLS, TokenUsage.of(3, 7), "gpt-rt", Duration.ZERO, null, "chatcmpl-10"),
        new ChatResponse("partial", List.of(new ToolCall("c", "f", "{}")), FinishReason.LENGTH, null, "gpt-rt",
            Duration.ofSeconds(2), null, "chatcmpl-11"),
        new ChatResponse("filtered", List.of(), FinishReason.CONTENT_FILTER, TokenUsage.of(1, 1), "gpt-rt",
            Duration.ofMillis(1), null, "chatcmpl-12"));
  }

  @ParameterizedTest
  @MethodSource("responses")
  void aChatResponseSurvivesTheWireUnchanged(ChatResponse response) {
    ObjectNode body = OpenAiWire.chatResponse(response, response.responseId(), 1_700_000_000L);

    assertThat(OpenAiWire.parseChatResponse(body, "requested-model", response.latency())).isEqualTo(response);
  }

  @Test
  void aWrittenResponseLooksLikeOpenAis() {
    ChatResponse response = new ChatResponse("", List.of(new ToolCall("c1", "f", "{}")), FinishReason.TOOL_CALLS,
        TokenUsage.of(2, 3), "gpt-rt", Duration.ZERO, null, "id-1");

    ObjectNode body = OpenAiWire.chatResponse(response, "id-1", 42L);

    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("created").asLong()).isEqualTo(42L);
    JsonNode message = body.path("choices").get(0).path("message");
    assertThat(message.path("role").asText()).isEqualTo("assistant");
    assertThat(message.get("content").isNull()).isTrue();
    assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(5);
  }

  @ParameterizedTest
  @CsvSource({
      "stop, false, STOP", "eos, false, STOP", "stop_sequence, false, STOP", "end_turn, false, STOP",
      "length, false, LENGTH", "max_tokens, false, LENGTH", "tool_calls, false, TOOL_CALLS",
      "function_call, false, TOOL_CALLS", "content_filter, false, CONTENT_FILTER", "surprise, true, OTHER",
  })
  void mapsFinishReasons(String wire, boolean hasToolCalls, FinishReason expected) {
    assertThat(OpenAiWire.finishReason(wire, hasToolCalls)).isEqualTo(expected);
  }

  @Test
  void aMissingFinishReasonDependsOnToolCalls() {
    assertThat(OpenAiWire.finishReason(null, false)).isEqualTo(FinishReason.STOP);
    assertThat(OpenAiWire.finishReason(null, true)).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @ParameterizedTest
  @EnumSource(value = FinishReason.class, names = {"STOP", "LENGTH", "TOOL_CALLS", "CONTENT_FILTER"})
  void finishReasonNamesReadBackToTheSameReason(FinishReason reason) {
    assertThat(OpenAiWire.finishReason(OpenAiWire.finishReasonName(reason), false)).isEqualTo(reason);
  }

  @Test
  void parsesUsageWithDetailsAndWithout() throws Exception {
    assertThat(OpenAiWire.parseUsage(OpenAiWire.JSON.readTree("{\"prompt_tokens\":30,\"completion_tokens\":20,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":10},\"completion_tokens_details\":{\"reasoning_tokens\":5}}")))
        .isEqualTo(new TokenUsage(30, 20, 10, 5));
    assertThat(OpenAiWire.parseUsage(OpenAiWire.JSON.readTree("{\"prompt_tokens\":3,\"completion_tokens\":4}")))
        .isEqualTo(TokenUsage.of(3, 4));
    assertThat(OpenAiWire.parseUsage(OpenAiWire.JSON.readTree("null"))).isNull();
    assertThat(OpenAiWire.parseUsage(OpenAiWire.JSON.missingNode())).isNull();
  }

  @Test
  void usageSurvivesTheWire() {
    TokenUsage usage = new TokenUsage(100, 50, 64, 32);

    assertThat(OpenAiWire.parseUsage(OpenAiWire.usage(usage))).isEqualTo(usage);
  }

  @Test
  void embeddingRequestAndResponseSurviveTheWire() {
    ObjectNode request = OpenAiWire.embeddingRequest("emb", List.of("a", "b"), 2);
    assertThat(OpenAiWire.parseEmbeddingInputs(request)).containsExactly("a", "b");
    assertThat(request.path("dimensions").asInt()).isEqualTo(2);
    assertThat(OpenAiWire.embeddingRequest("emb", List.of("a"), null).has("dimensions")).isFalse();

    ObjectNode response = OpenAiWire.embeddingResponse("emb", List.of(new float[] {1, 2}, new float[] {3, 4}), 6);
    float[][] vectors = OpenAiWire.parseEmbeddingVectors(response, 2);
    assertThat(vectors[0]).containsExactly(1f, 2f);
    assertThat(vectors[1]).containsExactly(3f, 4f);
  }

  @Test
  void embeddingInputsMayBeASingleStringButNotTokens() throws Exception {
    assertThat(OpenAiWire.parseEmbeddingInputs(OpenAiWire.JSON.readTree("{\"input\":\"one\"}"))).containsExactly("one");
    assertThatThrownBy(() -> OpenAiWire.parseEmbeddingInputs(OpenAiWire.JSON.readTree("{\"input\":[[1,2]]}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token arrays");
    assertThatThrownBy(() -> OpenAiWire.parseEmbeddingInputs(OpenAiWire.JSON.readTree("{}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'input'");
  }

  @Test
  void embeddingVectorsAreOrderedByIndexAndChecked() throws Exception {
    JsonNode shuffled = OpenAiWire.JSON.readTree("{\"data\":[{\"index\":1,\"embedding\":[1]},{\"index\":0,\"embedding\":[0]}]}");
    assertThat(OpenAiWire.parseEmbeddingVectors(shuffled, 2)).isDeepEqualTo(new float[][] {{0}, {1}});

    JsonNode outOfRange = OpenAiWire.JSON.readTree("{\"data\":[{\"index\":5,\"embedding\":[1]}]}");
    assertThatThrownBy(() -> OpenAiWire.parseEmbeddingVectors(outOfRange, 1))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("index 5");
    JsonNode empty = OpenAiWire.JSON.readTree("{\"data\":[{\"index\":0,\"embedding\":[]}]}");
    assertThatThrownBy(() -> OpenAiWire.parseEmbeddingVectors(empty, 1))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("non-empty");
  }

  @Test
  void parseResponseNamesWhatWasNotJson() {
    assertThatThrownBy(() -> OpenAiWire.parseResponse("the thing", "{\"a\":"))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("the thing is not valid JSON")
        .hasMessageContaining("{\"a\":");
    assertThatThrownBy(() -> OpenAiWire.parseResponse("the thing", ""))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("the thing is empty");
  }

  @Test
  void parseChatResponseReportsWhatIsMissing() throws Exception {
    assertThatThrownBy(() -> OpenAiWire.parseChatResponse(OpenAiWire.JSON.readTree("{\"choices\":[]}"), "m", Duration.ZERO))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("no 'choices'");
    assertThatThrownBy(() -> OpenAiWire.parseChatResponse(OpenAiWire.JSON.readTree("{\"choices\":[{}]}"), "m", Duration.ZERO))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("no 'message'");
  }

  @Test
  void abbreviateKeepsShortTextAndCutsLongText() {
    assertThat(OpenAiWire.abbreviate("short")).isEqualTo("short");
    String cut = OpenAiWire.abbreviate("z".repeat(1000));
    assertThat(cut).startsWith("z".repeat(300)).endsWith("... (1000 characters)").hasSize(300 + "... (1000 characters)".length());
  }

  @Test
  void errorBodyHasOpenAisShape() {
    ObjectNode body = OpenAiWire.errorBody("bad", "invalid_request_error", null);

    assertThat(body.path("error").path("message").asText()).isEqualTo("bad");
    assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(body.path("error").get("code").isNull()).isTrue();
  }
}
