package dev.llmops.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatRequestTest {

  private static ToolSpecification tool(String name) {
    return new ToolSpecification(name, "does " + name, "{\"type\":\"object\"}");
  }

  private static ChatRequest.Builder valid() {
    return ChatRequest.builder().user("hi");
  }

  @Test
  void ofMakesAOneMessageRequestWithDefaults() {
    ChatRequest request = ChatRequest.of("Hello");

    assertThat(request.messages()).containsExactly(ChatMessage.user("Hello"));
    assertThat(request.model()).isNull();
    assertThat(request.temperature()).isNull();
    assertThat(request.topP()).isNull();
    assertThat(request.maxTokens()).isNull();
    assertThat(request.stop()).isEmpty();
    assertThat(request.seed()).isNull();
    assertThat(request.tools()).isEmpty();
    assertThat(request.toolChoice()).isNull();
    assertThat(request.responseFormat()).isEqualTo(ResponseFormat.text());
  }

  @Test
  void needsAtLeastOneMessage() {
    assertThatThrownBy(() -> ChatRequest.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one message");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 2.01, Double.NaN})
  void temperatureMustBeBetweenZeroAndTwo(double temperature) {
    assertThatThrownBy(() -> valid().temperature(temperature).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature must be in [0.0, 2.0] but was " + temperature);
  }

  @Test
  void temperatureBoundsAreIncluded() {
    assertThat(valid().temperature(0.0).build().temperature()).isEqualTo(0.0);
    assertThat(valid().temperature(2.0).build().temperature()).isEqualTo(2.0);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.5, 1.0001, Double.NaN})
  void topPMustBeAboveZeroAndAtMostOne(double topP) {
    assertThatThrownBy(() -> valid().topP(topP).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topP must be in (0, 1] but was " + topP);
  }

  @Test
  void topPOfOneIsAllowed() {
    assertThat(valid().topP(1.0).build().topP()).isEqualTo(1.0);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void maxTokensMustBePositive(int maxTokens) {
    assertThatThrownBy(() -> valid().maxTokens(maxTokens).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTokens must be at least 1 but was " + maxTokens);
  }

  @Test
  void penaltiesMustBeBetweenMinusTwoAndTwo() {
    assertThatThrownBy(() -> valid().presencePenalty(2.5).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("presencePenalty").hasMessageContaining("2.5");
    assertThatThrownBy(() -> valid().frequencyPenalty(-2.5).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frequencyPenalty").hasMessageContaining("-2.5");
  }

  @Test
  void aBlankModelOrEmptyStopSequenceIsRefused() {
    assertThatThrownBy(() -> valid().model(" ").build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model must not be blank");
    assertThatThrownBy(() -> valid().stop("").build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stop sequences");
  }

  @Test
  void toolNamesMustBeUnique() {
    assertThatThrownBy(() -> valid().tool(tool("search")).tool(tool("clock")).tool(tool("search")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tool names must be unique")
        .hasMessageContaining("[search, clock, search]");
  }

  @Test
  void aToolChoiceMustNameAKnownFunction() {
    assertThatThrownBy(() -> valid().tool(tool("search")).toolChoice(ToolChoice.function("delete_everything")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'delete_everything'")
        .hasMessageContaining("[search]");
  }

  @Test
  void aToolChoiceOtherThanNoneNeedsTools() {
    assertThatThrownBy(() -> valid().toolChoice(ToolChoice.required()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("REQUIRED needs at least one tool");
    assertThat(valid().toolChoice(ToolChoice.none()).build().toolChoice()).isEqualTo(ToolChoice.none());
  }

  @Test
  void toolChoiceNeedsAFunctionNameExactlyForFunctionMode() {
    assertThatThrownBy(() -> new ToolChoice(ToolChoice.Mode.FUNCTION, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ToolChoice(ToolChoice.Mode.AUTO, "f")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toolAndSchemaNamesAreChecked() {
    assertThatThrownBy(() -> new ToolSpecification("has space", "", "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'has space'");
    assertThatThrownBy(() -> new ToolSpecification("ok", "", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool 'ok'");
    assertThatThrownBy(() -> ResponseFormat.jsonSchema("bad/name", "{}", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad/name'");
    assertThatThrownBy(() -> ResponseFormat.jsonSchema("ok", "", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ok'");
  }

  @Test
  void theRequestIsImmutable() {
    List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.user("a")));
    ChatRequest request = new ChatRequest(null, messages, null, null, null, List.of(), null, null, null, List.of(), null,
        ResponseFormat.text());

    messages.add(ChatMessage.user("b"));

    assertThat(request.messages()).hasSize(1);
    assertThatThrownBy(() -> request.messages().add(ChatMessage.user("c"))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toBuilderCopiesEveryField() {
    ChatRequest request = ChatRequest.builder().model("m").system("s").user("u").temperature(0.5).topP(0.5)
        .maxTokens(5).stop("x").seed(3L).presencePenalty(1.0).frequencyPenalty(1.0).tool(tool("t"))
        .toolChoice(ToolChoice.auto()).responseFormat(ResponseFormat.jsonObject()).build();

    assertThat(request.toBuilder().build()).isEqualTo(request);
    assertThat(request.toBuilder().user("more").build().messages()).hasSize(3);
    assertThat(request.messages()).hasSize(2);
  }

  @Test
  void lastUserTextFindsTheLatestUserTurn() {
    ChatRequest request = ChatRequest.builder().system("s").user("first").assistant("a").user("second").assistant("b").build();

    assertThat(request.lastUserText()).isEqualTo("second");
    assertThat(ChatRequest.builder().system("only system").build().lastUserText()).isEmpty();
  }

  @Test
  void messagesKnowTheirRoles() {
    assertThat(ChatMessage.system("s").role()).isEqualTo(Role.SYSTEM);
    assertThat(ChatMessage.user("u").role()).isEqualTo(Role.USER);
    assertThat(ChatMessage.assistant("a").role()).isEqualTo(Role.ASSISTANT);
    assertThat(ChatMessage.tool("id", "r").role()).isEqualTo(Role.TOOL);
    assertThatThrownBy(() -> ChatMessage.tool(" ", "r")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("toolCallId");
  }

  @Test
  void anAssistantMessageCarriesAResponseBack() {
    ChatResponse response = new ChatResponse("text", List.of(new ToolCall("c", "f", "{}")), FinishReason.TOOL_CALLS,
        null, "m", java.time.Duration.ZERO, null, null);

    ChatMessage.AssistantMessage message = ChatMessage.AssistantMessage.of(response);

    assertThat(message.text()).isEqualTo("text");
    assertThat(message.toolCalls()).containsExactly(new ToolCall("c", "f", "{}"));
  }

  @org.junit.jupiter.api.Test
  void schemasMustBeJsonObjects() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ToolSpecification("lookup", "d", "{type: object}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool 'lookup'");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ResponseFormat.jsonSchema("answer", "[1,2]", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
  }
}
