package dev.llmops.core.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.openai.OpenAiJson.RecordingListener;
import dev.llmops.core.openai.ScriptedHttpServer.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One client shared by many threads: every caller gets the answer to its own request. */
class OpenAiClientConcurrencyTest {

  private static final int THREADS = 16;
  private static final int CALLS_PER_THREAD = 20;

  private final ScriptedHttpServer server = ScriptedHttpServer.start();
  private final ExecutorService callers = Executors.newFixedThreadPool(THREADS);
  private OpenAiClient client;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    server.close();
  }

  /** Echoes the marker in the last user message, as a plain or a streamed answer. */
  private static Script echo(ScriptedHttpServer.RecordedRequest request) {
    String marker = request.json().path("messages").get(0).path("content").asText();
    if (request.json().path("stream").asBoolean()) {
      return Script.sse().event(OpenAiJson.contentChunk("echo:")).event(OpenAiJson.contentChunk(marker))
          .event(OpenAiJson.finishChunk("stop")).done();
    }
    return Script.json(200, OpenAiJson.completion("echo:" + marker, "stop"));
  }

  @Test
  void sixteenThreadsTimesTwentyCallsEachGetTheirOwnAnswer() throws Exception {
    server.otherwise(OpenAiClientConcurrencyTest::echo);
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey("sk-concurrent")
        .requestTimeout(Duration.ofSeconds(20)).streamIdleTimeout(Duration.ofSeconds(20)).build();
    ChatModel model = client.chatModel("gpt-test");
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Callable<Integer> calls = () -> {
        start.await();
        int checked = 0;
        for (int i = 0; i < CALLS_PER_THREAD; i++) {
          String marker = "thread-" + thread + "-call-" + i;
          ChatRequest request = ChatRequest.of(marker);
          ChatResponse response;
          if (i % 4 == 3) { // mix in streamed calls
            RecordingListener listener = new RecordingListener();
            response = model.stream(request, listener);
            assertThat(listener.text()).isEqualTo(response.text());
          } else {
            response = model.chat(request);
          }
          assertThat(response.text()).isEqualTo("echo:" + marker);
          checked++;
        }
        return checked;
      };
      results.add(callers.submit(calls));
    }

    start.countDown();

    int total = 0;
    for (Future<Integer> result : results) {
      total += result.get(60, TimeUnit.SECONDS); // rethrows any caller's exception or assertion failure
    }
    assertThat(total).isEqualTo(THREADS * CALLS_PER_THREAD);
    assertThat(server.requestCount()).isEqualTo(THREADS * CALLS_PER_THREAD);
    assertThat(server.requests()).extracting(r -> r.header("Authorization")).containsOnly("Bearer sk-concurrent");
    assertThat(server.serverErrors()).isEmpty();
  }
}
