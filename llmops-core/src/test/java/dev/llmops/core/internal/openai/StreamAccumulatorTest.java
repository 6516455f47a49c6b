package dev.llmops.core.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmops.core.MalformedResponseException;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.chat.ToolCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAccumulatorTest {

  private final List<String> pieces = new ArrayList<>();
  private final StreamAccumulator accumulator = new StreamAccumulator(pieces::add);

  private void accept(String json) {
    try {
      accumulator.accept(OpenAiWire.JSON.readTree(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static String content(String escaped) {
    return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + escaped + "\"}}]}";
  }

  @Test
  void theServerSideChunkWritersReadBackToTheSameResponse() {
    ChatResponse original = new ChatResponse("Hello, world", List.of(new ToolCall("call_1", "f", "{\"a\":1}")),
        FinishReason.TOOL_CALLS, new TokenUsage(9, 4, 2, 1), "gpt-stream", Duration.ofMillis(5), null, "chatcmpl-x");
    List<JsonNode> chunks = List.of(
        OpenAiWire.contentChunk("chatcmpl-x", 1L, "gpt-stream", "Hello", true),
        OpenAiWire.contentChunk("chatcmpl-x", 1L, "gpt-stream", ", world", false),
        OpenAiWire.finishChunk("chatcmpl-x", 1L, original),
        OpenAiWire.usageChunk("chatcmpl-x", 1L, "gpt-stream", original.usage()));

    chunks.forEach(accumulator::accept);
    ChatResponse response = accumulator.response("requested", Duration.ofMillis(5), null, null);

    assertThat(response).isEqualTo(original);
    assertThat(pieces).containsExactly("Hello", ", world");
    assertThat(accumulator.pieces()).isEqualTo(2);
    assertThat(accumulator.finished()).isTrue();
  }

  @Test
  void holdsBackAHighSurrogateUntilItsPairArrives() {
    accept(content("a\\ud83d"));
    assertThat(pieces).containsExactly("a");

    accept(content("\\ude00b"));

    assertThat(pieces).containsExactly("a", "\uD83D\uDE00b");
    assertThat(accumulator.response("m", Duration.ZERO, null, null).text()).isEqualTo("a\uD83D\uDE00b");
  }

  @Test
  void aLoneHighSurrogatePieceIsNotDeliveredEmpty() {
    accept(content("\\ud83d"));

    assertThat(pieces).isEmpty();
    assertThat(accumulator.pieces()).isZero();
  }

  @Test
  void anUnpairedSurrogateAtTheEndIsDeliveredAsItCame() {
    accept(content("x\\ud83d"));

    ChatResponse response = accumulator.response("m", Duration.ZERO, null, null);

    assertThat(response.text()).isEqualTo("x\uD83D");
    assertThat(String.join("", pieces)).isEqualTo(response.text());
  }

  @Test
  void keepsTheFirstModelAndIdAndFallsBackToTheRequestedModel() {
    accept("{\"id\":\"first\",\"model\":\"\",\"choices\":[]}");
    accept("{\"id\":\"second\",\"model\":\"late\",\"choices\":[]}");

    ChatResponse response = accumulator.response("requested", Duration.ZERO, null, null);

    assertThat(response.responseId()).isEqualTo("first");
    assertThat(response.modelId()).isEqualTo("requested");
    assertThat(response.finishReason()).as("no finish reason and no tool calls").isEqualTo(FinishReason.STOP);
    assertThat(accumulator.finished()).isFalse();
  }

  @Test
  void anOverrideFinishReasonWins() {
    accept(content("x"));
    accept("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");

    assertThat(accumulator.response("m", Duration.ZERO, Duration.ZERO, FinishReason.CANCELLED).finishReason())
        .isEqualTo(FinishReason.CANCELLED);
  }

  @Test
  void toolCallsWithoutAnIndexAreSeparateCalls() {
    accept("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}");
    accept("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}}]}");

    assertThat(accumulator.response("m", Duration.ZERO, null, null).toolCalls())
        .containsExactly(new ToolCall("a", "f", "{}"), new ToolCall("b", "g", "{}"));
  }

  @Test
  void rejectsErrorsNonObjectsAndInvalidUsage() {
    assertThatThrownBy(() -> accept("{\"error\":{\"message\":\"overloaded\"}}"))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("overloaded");
    assertThatThrownBy(() -> accept("\"text\""))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> accept("{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":5}}}"))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("usage");
  }
}
