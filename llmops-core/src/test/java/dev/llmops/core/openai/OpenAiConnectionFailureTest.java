package dev.llmops.core.openai;

import static dev.llmops.core.openai.OpenAiJson.completion;
import static dev.llmops.core.openai.OpenAiJson.contentChunk;
import static dev.llmops.core.openai.OpenAiJson.finishChunk;
import static dev.llmops.core.openai.OpenAiJson.hello;
import static dev.llmops.core.openai.OpenAiJson.roleChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.CancelledException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.MalformedResponseException;
import dev.llmops.core.RequestTimeoutException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.openai.OpenAiJson.RecordingListener;
import dev.llmops.core.openai.ScriptedHttpServer.Script;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a call reports when the server stalls, drops the connection, cannot be reached or answers with
 * something that is not a chat completion.
 */
class OpenAiConnectionFailureTest extends LoopbackServerTest {

  private static final Duration IDLE = Duration.ofMillis(400);
  private static final Duration HANG_BOUND = Duration.ofSeconds(10);

  private ChatModel model() {
    client = OpenAiClient.builder().baseUrl(server.baseUrl())
        .requestTimeout(Duration.ofSeconds(5)).streamIdleTimeout(IDLE).build();
    return client.chatModel("gpt-test");
  }

  private String endpoint() {
    return "POST " + server.baseUrl() + "/chat/completions";
  }

  // ------------------------------------------------------------------------------- stalls

  @Test
  void aStreamThatStallsTimesOutAfterTheIdleTimeoutKeepingTheTokensDelivered() {
    server.enqueue(Script.sse().event(roleChunk()).event(contentChunk("first ")).event(contentChunk("second")).thenStall());
    ChatModel model = model();
    RecordingListener listener = new RecordingListener();
    long start = System.nanoTime();

    assertThatThrownBy(() -> model.stream(hello(), listener))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining(endpoint())
        .hasMessageContaining("sent nothing for 400 ms")
        .hasMessageContaining("after 2 tokens")
        .satisfies(e -> assertThat(((LlmOpsException) e).isRetriable()).isTrue());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it did not hang").isLessThan(HANG_BOUND);
    assertThat(listener.tokens).containsExactly("first ", "second");
  }

  @Test
  void aNonStreamedResponseWhoseHeadersNeverComeTimesOutAfterTheRequestTimeout() {
    server.enqueue(Script.noResponse());
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).requestTimeout(Duration.ofMillis(400)).build();
    ChatModel model = client.chatModel("gpt-test");
    long start = System.nanoTime();

    assertThatThrownBy(() -> model.chat(hello()))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining(endpoint());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HANG_BOUND);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aStreamWhoseHeadersNeverComeTimesOutAfterTheRequestTimeout() {
    server.enqueue(Script.noResponse());
    client = OpenAiClient.builder().baseUrl(server.baseUrl())
        .requestTimeout(Duration.ofMillis(400)).streamIdleTimeout(Duration.ofSeconds(30)).build();
    ChatModel model = client.chatModel("gpt-test");
    long start = System.nanoTime();

    assertThatThrownBy(() -> model.stream(hello(), new RecordingListener()))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining(endpoint());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HANG_BOUND);
  }

  @Test
  void theRequestTimeoutBoundsTheWholeNonStreamedResponseNotOnlyItsHeaders() {
    // headers after 250 ms and the body 350 ms later: each wait is under the 400 ms limit, the whole is not
    server.enqueue(Script.status(200).header("Content-Type", "application/json")
        .delayHeaders(Duration.ofMillis(250)).pause(350).body(completion("late", "stop")));
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).requestTimeout(Duration.ofMillis(400)).build();
    ChatModel model = client.chatModel("gpt-test");

    assertThatThrownBy(() -> model.chat(hello()))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining(endpoint());
  }

  @Test
  void aBodyThatStopsArrivingTimesOutNamingTheRequestTimeout() {
    server.enqueue(Script.status(200).header("Content-Type", "application/json").chunked()
        .raw("{\"choices\":[").thenStall());
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).requestTimeout(Duration.ofMillis(400)).build();
    ChatModel model = client.chatModel("gpt-test");

    assertThatThrownBy(() -> model.chat(hello()))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining(endpoint() + " did not finish its response within 400 ms");
  }

  @Test
  void theDeadlineInterruptNeverLeaksToTheCaller() {
    server.enqueue(Script.status(200).header("Content-Type", "application/json").chunked()
        .raw("{\"choices\":[").thenStall(), Script.json(200, completion("after", "stop")));
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).requestTimeout(Duration.ofMillis(300)).build();
    ChatModel model = client.chatModel("gpt-test");

    assertThatThrownBy(() -> model.chat(hello())).isInstanceOf(RequestTimeoutException.class);

    assertThat(Thread.currentThread().isInterrupted()).as("the watchdog's interrupt was cleared").isFalse();
    assertThat(model.chat(hello()).text()).isEqualTo("after");
  }

  @Test
  void aCallerThatIsAlreadyInterruptedIsCancelledAndKeepsItsInterrupt() {
    server.enqueue(Script.json(200, completion("never read", "stop")));
    ChatModel model = model();

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> model.chat(hello())).isInstanceOf(CancelledException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  // ------------------------------------------------------------------------------- drops and ends

  @Test
  void aConnectionDroppedMidStreamIsUnavailableAndSaysHowFarItGot() {
    server.enqueue(Script.sse()
        .event(contentChunk("a")).pause(10)
        .event(contentChunk("b")).pause(10)
        .event(contentChunk("c"))
        .thenDrop());
    ChatModel model = model();
    RecordingListener listener = new RecordingListener();

    assertThatThrownBy(() -> model.stream(hello(), listener))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(endpoint())
        .hasMessageContaining("after 3 tokens")
        .satisfies(e -> assertThat(((LlmOpsException) e).isRetriable()).isTrue());

    assertThat(listener.tokens).containsExactly("a", "b", "c");
  }

  @Test
  void aStreamThatEndsCleanlyWithoutFinishReasonOrDoneIsUnavailable() {
    server.enqueue(Script.sse().closeDelimited().event(contentChunk("half an ")).event(contentChunk("answ")));
    ChatModel model = model();
    RecordingListener listener = new RecordingListener();

    assertThatThrownBy(() -> model.stream(hello(), listener))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(endpoint())
        .hasMessageContaining("ended the stream after 2 tokens without finishing the answer");

    assertThat(listener.tokens).containsExactly("half an ", "answ");
  }

  @Test
  void aChunkedStreamThatEndsWithoutFinishReasonOrDoneIsUnavailable() {
    server.enqueue(Script.sse().event(contentChunk("x")));

    assertThatThrownBy(() -> model().stream(hello(), new RecordingListener()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("after 1 tokens without finishing");
  }

  @Test
  void aRefusedConnectionIsUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      closedPort = socket.getLocalPort();
    }
    client = OpenAiClient.builder().baseUrl("http://127.0.0.1:" + closedPort + "/v1")
        .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5)).build();
    ChatModel model = client.chatModel("gpt-test");

    assertThatThrownBy(() -> model.chat(hello()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("could not connect to POST http://127.0.0.1:" + closedPort + "/v1/chat/completions")
        .satisfies(e -> assertThat(((LlmOpsException) e).isRetriable()).isTrue());
    assertThatThrownBy(() -> model.stream(hello(), new RecordingListener()))
        .isInstanceOf(UnavailableException.class);
  }

  // ------------------------------------------------------------------------------- malformed answers

  @Test
  void aSuccessfulResponseThatIsNotJsonIsMalformed() {
    server.enqueue(Script.json(200, "<html>gateway says hi</html>"));

    assertThatThrownBy(() -> model().chat(hello()))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("the response of " + endpoint() + " is not valid JSON")
        .hasMessageContaining("<html>gateway says hi</html>")
        .satisfies(e -> assertThat(((LlmOpsException) e).isRetriable()).isFalse());
  }

  @Test
  void aSuccessfulResponseWithoutChoicesIsMalformed() {
    server.enqueue(Script.json(200, "{}"));

    assertThatThrownBy(() -> model().chat(hello()))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("no 'choices'");
  }

  @Test
  void aChoiceWithoutMessageIsMalformed() {
    server.enqueue(Script.json(200, "{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\"}]}"));

    assertThatThrownBy(() -> model().chat(hello()))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("no 'message'");
  }

  @Test
  void anEmptySuccessfulResponseIsMalformed() {
    server.enqueue(Script.status(200).header("Content-Type", "application/json"));

    assertThatThrownBy(() -> model().chat(hello()))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("is empty");
  }

  @Test
  void negativeUsageCountsAreMalformed() {
    server.enqueue(Script.json(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"x\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":-1,\"completion_tokens\":2}}"));

    assertThatThrownBy(() -> model().chat(hello()))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("not a valid chat completion")
        .hasMessageContaining("input=-1");
  }

  @Test
  void aStreamEventThatIsNotJsonIsMalformedAndSaysWhere() {
    server.enqueue(Script.sse().event(contentChunk("ok")).event("{this is not json").event(contentChunk("never")).done());
    ChatModel model = model();
    RecordingListener listener = new RecordingListener();

    assertThatThrownBy(() -> model.stream(hello(), listener))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("a stream event of " + endpoint())
        .hasMessageContaining("after 1 tokens")
        .hasMessageContaining("is not valid JSON")
        .hasMessageContaining("{this is not json");

    assertThat(listener.tokens).containsExactly("ok");
  }

  @Test
  void aStreamEventThatIsNotAnObjectIsMalformed() {
    server.enqueue(Script.sse().event("[1,2,3]").done());

    assertThatThrownBy(() -> model().stream(hello(), new RecordingListener()))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void anErrorEventInsideTheStreamFailsTheCall() {
    server.enqueue(Script.sse().event(contentChunk("x"))
        .event("{\"error\":{\"message\":\"the model crashed\",\"type\":\"server_error\"}}").done());

    RecordingListener listener = new RecordingListener();
    assertThatThrownBy(() -> model().stream(hello(), listener))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("the model crashed")
        .hasMessageContaining("after 1 tokens")
        .satisfies(e -> assertThat(((LlmOpsException) e).isRetriable()).isTrue());
    assertThat(listener.tokens).containsExactly("x");
  }

  @Test
  void anErrorEventThatEchoesTheApiKeyIsRedacted() {
    server.enqueue(Script.sse().event(contentChunk("x"))
        .event("{\"error\":{\"message\":\"key sk-echoed-secret-1 is over its limit\"}}").done());
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey("sk-echoed-secret-1")
        .requestTimeout(Duration.ofSeconds(5)).streamIdleTimeout(IDLE).build();

    assertThatThrownBy(() -> client.chatModel("gpt-test").stream(hello(), new RecordingListener()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("is over its limit")
        .hasMessageNotContaining("sk-echoed-secret-1");
  }

  @Test
  void theClientIsUsableAfterAFailedCall() {
    server.enqueue(Script.sse().event(contentChunk("a")).thenDrop(), Script.json(200, completion("fine", "stop")));
    ChatModel model = model();

    assertThatThrownBy(() -> model.stream(hello(), new RecordingListener())).isInstanceOf(UnavailableException.class);
    assertThat(model.chat(hello()).text()).isEqualTo("fine");
  }

  @Test
  void anErrorEventWithAClientErrorCodeIsNotRetriable() {
    server.enqueue(Script.sse().event(contentChunk("x"))
        .event("{\"error\":{\"message\":\"context length exceeded\",\"type\":\"BadRequestError\",\"code\":400}}")
        .done());

    assertThatThrownBy(() -> model().stream(hello(), new RecordingListener()))
        .isInstanceOf(dev.llmops.core.InvalidRequestException.class)
        .hasMessageContaining("context length exceeded")
        .hasMessageContaining("after 1 tokens");
  }

  @Test
  void redirectsAreNotFollowed() {
    server.enqueue(Script.status(302).header("Location", "http://127.0.0.1:1/elsewhere"));

    assertThatThrownBy(() -> model().chat(hello()))
        .isInstanceOf(dev.llmops.core.InvalidRequestException.class)
        .hasMessageContaining("302");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void aConnectionClosedBeforeAnyResponseIsRetriedOnceOnAFreshOne() {
    server.enqueue(Script.closeWithoutResponse(), Script.json(200, completion("second try", "stop")),
        Script.closeWithoutResponse(), Script.sse().event(contentChunk("streamed")).event(finishChunk("stop")).done());
    ChatModel model = model();

    assertThat(model.chat(hello()).text()).isEqualTo("second try");
    assertThat(model.stream(hello(), new RecordingListener()).text()).isEqualTo("streamed");
    assertThat(server.requests()).hasSize(4);
  }

  @Test
  void onlyOneRetry() {
    server.enqueue(Script.closeWithoutResponse(), Script.closeWithoutResponse(), Script.json(200, completion("late", "stop")));

    assertThatThrownBy(() -> model().chat(hello())).isInstanceOf(UnavailableException.class);
    assertThat(server.requests()).hasSize(2);
  }
}
