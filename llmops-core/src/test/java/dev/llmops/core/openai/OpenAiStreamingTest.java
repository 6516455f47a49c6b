package dev.llmops.core.openai;

import static dev.llmops.core.openai.OpenAiJson.completion;
import static dev.llmops.core.openai.OpenAiJson.contentChunk;
import static dev.llmops.core.openai.OpenAiJson.finishChunk;
import static dev.llmops.core.openai.OpenAiJson.hello;
import static dev.llmops.core.openai.OpenAiJson.roleChunk;
import static dev.llmops.core.openai.OpenAiJson.usageChunk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.openai.OpenAiJson.RecordingListener;
import dev.llmops.core.openai.ScriptedHttpServer.RecordedRequest;
import dev.llmops.core.openai.ScriptedHttpServer.Script;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Streamed chat completions (server-sent events) through a real loopback HTTP server. */
class OpenAiStreamingTest extends LoopbackServerTest {

  private ChatModel model() {
    return model(b -> b);
  }

  private ChatModel model(UnaryOperator<OpenAiClient.Builder> configure) {
    client = configure.apply(OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey("sk-stream-test-key")
        .requestTimeout(Duration.ofSeconds(5)).streamIdleTimeout(Duration.ofSeconds(5))).build();
    return client.chatModel("gpt-test");
  }

  @Test
  void deliversTokensInOrderAndTheirConcatenationIsTheText() {
    server.enqueue(Script.sse()
        .event(roleChunk())
        .event(contentChunk("Hel")).pause(20)
        .event(contentChunk("lo")).pause(20)
        .event(contentChunk(", ")).pause(20)
        .event(contentChunk("world"))
        .event(finishChunk("stop"))
        .event(usageChunk(11, 4, 8, 0))
        .done());
    RecordingListener listener = new RecordingListener();

    ChatResponse response = model().stream(hello(), listener);

    assertThat(listener.tokens).containsExactly("Hel", "lo", ", ", "world");
    assertThat(listener.text()).isEqualTo(response.text()).isEqualTo("Hello, world");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).as("the final usage chunk with empty choices").isEqualTo(new TokenUsage(11, 4, 8, 0));
    assertThat(response.modelId()).isEqualTo("gpt-test-0001");
    assertThat(response.responseId()).isEqualTo("chatcmpl-s1");
    assertThat(response.timeToFirstToken()).isNotNull();
    assertThat(response.timeToFirstToken()).isLessThanOrEqualTo(response.latency());
  }

  @Test
  void asksForAnEventStreamWithUsageByDefault() {
    server.enqueue(Script.sse().event(contentChunk("x")).event(finishChunk("stop")).done());

    model().stream(hello(), new RecordingListener());

    RecordedRequest sent = server.onlyRequest();
    assertThat(sent.header("Accept")).isEqualTo("text/event-stream");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-stream-test-key");
    JsonNode body = sent.json();
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(body.path("model").asText()).isEqualTo("gpt-test");
  }

  @Test
  void streamUsageCanBeTurnedOffForServersThatRejectIt() {
    server.enqueue(Script.sse().event(contentChunk("x")).event(finishChunk("stop")).done());

    model(b -> b.streamUsage(false)).stream(hello(), new RecordingListener());

    JsonNode body = server.onlyRequest().json();
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.has("stream_options")).isFalse();
  }

  @Test
  void aStreamWithoutUsageHasNoUsage() {
    server.enqueue(Script.sse().event(contentChunk("x")).event(finishChunk("length")).done());

    ChatResponse response = model().stream(hello(), new RecordingListener());

    assertThat(response.usage()).isNull();
    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void assemblesToolCallsFromDeltasAcrossChunks() {
    String head = "{\"id\":\"chatcmpl-tc\",\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":";
    String tail = ",\"finish_reason\":null}]}";
    server.enqueue(Script.sse()
        .event(head + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}" + tail)
        .event(head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}" + tail)
        .pause(10)
        .event(head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}" + tail)
        .event(head + "{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]}" + tail)
        .event("{\"id\":\"chatcmpl-tc\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}")
        .done());
    RecordingListener listener = new RecordingListener();

    ChatResponse response = model().stream(hello(), listener);

    assertThat(response.toolCalls()).containsExactly(
        new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
        new ToolCall("call_2", "get_time", "{}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.text()).isEmpty();
    assertThat(listener.tokens).as("tool-call deltas are not text tokens").isEmpty();
  }

  @Test
  void ignoresCommentsAndOtherFieldsAndJoinsMultiLineData() {
    server.enqueue(Script.sse()
        .raw(": keep-alive\n\n")
        .raw("retry: 1000\nevent: message\nid: 1\ndata: {\"choices\":[{\"index\":0,\n")
        .raw("data: \"delta\":{\"content\":\"multi\"}}]}\n\n")
        .raw(":another comment\n")
        .raw("data:" + contentChunk("-line") + "\n\n")          // no space after the colon
        .raw("data: {\"choices\":[{\"index\":0,\"delta\":{\"con")  // an event split across two chunks
        .raw("tent\":\" ok\"}}]}\r\n\r\n")                         // CRLF line ends
        .raw("data: " + finishChunk("stop") + "\n\n")
        .raw("data: [DONE]\n\n"));
    RecordingListener listener = new RecordingListener();

    ChatResponse response = model().stream(hello(), listener);

    assertThat(listener.tokens).containsExactly("multi", "-line", " ok");
    assertThat(response.text()).isEqualTo("multi-line ok");
  }

  @Test
  void stopsReadingAtDone() {
    server.enqueue(Script.sse()
        .event(contentChunk("before"))
        .done()
        .event(contentChunk(" after"))
        .thenStall());
    RecordingListener listener = new RecordingListener();

    ChatResponse response = model().stream(hello(), listener);

    assertThat(response.text()).isEqualTo("before");
    assertThat(listener.tokens).containsExactly("before");
  }

  @Test
  void aFinishedStreamThatEndsWithoutDoneIsComplete() {
    server.enqueue(Script.sse().closeDelimited()
        .event(contentChunk("Done"))
        .event(finishChunk("stop")));

    ChatResponse response = model().stream(hello(), new RecordingListener());

    assertThat(response.text()).isEqualTo("Done");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void aServerThatIgnoresStreamTrueAndAnswersJsonStillWorks() {
    server.enqueue(Script.json(200, completion("All at once.", "stop")));
    RecordingListener listener = new RecordingListener();

    ChatResponse response = model().stream(hello(), listener);

    assertThat(listener.tokens).containsExactly("All at once.");
    assertThat(response.text()).isEqualTo("All at once.");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEqualTo(TokenUsage.of(12, 3));
  }

  @Test
  void cancellationReturnsCancelledWithTheTextSoFarAndDoesNotWaitForTheRest() {
    server.enqueue(Script.sse()
        .event(roleChunk())
        .event(contentChunk("one "))
        .event(contentChunk("two "))
        .event(contentChunk("three "))
        .thenStall()); // without cancellation the call would only end at the idle timeout
    RecordingListener listener = new RecordingListener(2);

    ChatResponse response = model().stream(hello(), listener);

    assertThat(response.finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThat(response.text()).isEqualTo("one two ");
    assertThat(listener.tokens).containsExactly("one ", "two ");
  }

  @Test
  void anEmojiSplitIntoSurrogateHalvesAcrossChunksArrivesAsOnePiece() {
    // JSON-escaped halves of U+1F600 in two separate events, as some tokenizers stream them
    String chunk = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}";
    server.enqueue(Script.sse()
        .event(String.format(chunk, "Hi "))
        .event(String.format(chunk, "\\ud83d"))
        .pause(10)
        .event(String.format(chunk, "\\ude00"))
        .event(String.format(chunk, "x\\ud83d"))
        .event(String.format(chunk, "\\ude03!"))
        .event(finishChunk("stop"))
        .done());
    RecordingListener listener = new RecordingListener();

    ChatResponse response = model().stream(hello(), listener);

    assertThat(listener.tokens).containsExactly("Hi ", "\uD83D\uDE00", "x", "\uD83D\uDE03!");
    for (String token : listener.tokens) {
      assertThat(token).isNotEmpty();
      assertThat(Character.isHighSurrogate(token.charAt(token.length() - 1))).as("'%s' ends inside a code point", token).isFalse();
      assertThat(Character.isLowSurrogate(token.charAt(0))).as("'%s' starts inside a code point", token).isFalse();
    }
    assertThat(response.text()).isEqualTo("Hi \uD83D\uDE00x\uD83D\uDE03!");
  }

  @Test
  void cancellingRightAfterAHalfCharacterNeverDeliversItAlone() {
    String chunk = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}";
    server.enqueue(Script.sse()
        .event(String.format(chunk, "ok"))
        .event(String.format(chunk, " \\ud83d"))
        .thenStall());
    RecordingListener listener = new RecordingListener(2);

    ChatResponse response = model().stream(hello(), listener);

    assertThat(response.finishReason()).isEqualTo(FinishReason.CANCELLED);
    assertThat(listener.tokens).containsExactly("ok", " ");
    assertThat(response.text()).isEqualTo("ok ");
  }

  @Test
  void theRequestTimeoutBoundsOnlyTheHeadersOfAStream() {
    // five events 300 ms apart take longer than the 1 s request timeout, but no gap reaches the idle timeout
    Script script = Script.sse();
    for (int i = 0; i < 5; i++) {
      script.pause(300).event(contentChunk("t" + i));
    }
    server.enqueue(script.event(finishChunk("stop")).done());
    RecordingListener listener = new RecordingListener();

    ChatResponse response = model(b -> b.requestTimeout(Duration.ofSeconds(1)).streamIdleTimeout(Duration.ofSeconds(3)))
        .stream(hello(), listener);

    assertThat(response.text()).isEqualTo("t0t1t2t3t4");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void ignoresChoicesOtherThanTheFirst() {
    server.enqueue(Script.sse()
        .event("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"},\"finish_reason\":null},"
            + "{\"index\":0,\"delta\":{\"content\":\"mine\"},\"finish_reason\":null}]}")
        .event(finishChunk("stop"))
        .done());

    assertThat(model().stream(hello(), new RecordingListener()).text()).isEqualTo("mine");
  }
}
