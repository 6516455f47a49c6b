package dev.llmops.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.StreamListener;
import dev.llmops.core.internal.openai.OpenAiWire;
import dev.llmops.core.internal.openai.SseParser;
import dev.llmops.core.internal.openai.StreamAccumulator;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ChatModel} over {@code /chat/completions}. Thread-safe; state lives in each call. */
final class OpenAiChatModel implements ChatModel {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiChatModel.class);
  private static final String PATH = "/chat/completions";
  private static final Duration DRAIN = Duration.ofMillis(200);

  private final OpenAiClient client;
  private final String defaultModel;

  OpenAiChatModel(OpenAiClient client, String defaultModel) {
    this.client = client;
    this.defaultModel = defaultModel;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    String model = modelOf(request);
    JsonNode body = OpenAiWire.chatRequest(request, model, false, false);
    long start = client.ticker().read();
    JsonNode answer = client.postJson(PATH, model, body);
    Duration latency = since(start);
    ChatResponse response = OpenAiWire.parseChatResponse(answer, model, latency);
    LOG.debug("{} {} -> {} in {} ms", PATH, model, response.finishReason(), latency.toMillis());
    return response;
  }

  @Override
  public ChatResponse stream(ChatRequest request, StreamListener listener) {
    String model = modelOf(request);
    JsonNode body = OpenAiWire.chatRequest(request, model, true, client.streamUsage());
    long start = client.ticker().read();
    Duration[] firstToken = new Duration[1];
    StreamAccumulator accumulator = new StreamAccumulator(token -> {
      if (firstToken[0] == null) {
        firstToken[0] = since(start);
      }
      listener.onToken(token);
    });
    try (OpenAiClient.Exchange exchange = client.openStream(PATH, model, body)) {
      exchange.awaitSuccess();
      if (exchange.contentType().startsWith("application/json")) {
        // A server that ignores "stream": true answers with one JSON document; deliver it as one piece.
        String text = exchange.readBody();
        ChatResponse whole = OpenAiWire.parseChatResponse(
            OpenAiWire.parseResponse("the response of " + exchange.endpoint, text), model, since(start));
        if (!whole.text().isEmpty()) {
          listener.onToken(whole.text());
        }
        return whole;
      }
      SseParser parser = new SseParser();
      boolean done = false;
      while (!done) {
        String line = exchange.stream.nextLine(client.streamIdleTimeout(), progress(accumulator));
        String data = line == null ? parser.flush() : parser.feed(line);
        if (data != null) {
          if (data.strip().equals("[DONE]")) {
            done = true;
            exchange.stream.drain(DRAIN); // read the end of the body so the connection can be reused
          } else {
            JsonNode event = OpenAiWire.parseResponse(
                "a stream event of " + exchange.endpoint + " " + progress(accumulator), data);
            if (event.hasNonNull("error")) { // vLLM, TGI and OpenAI report a failure mid-stream this way
              throw exchange.streamError(event.get("error"), progress(accumulator));
            }
            accumulator.accept(event);
            if (listener.isCancelled()) { // leaving the try block releases the connection
              return accumulator.response(model, since(start), firstToken[0], FinishReason.CANCELLED);
            }
          }
        }
        if (line == null && !done) {
          if (!accumulator.finished()) {
            throw new UnavailableException(exchange.endpoint + " ended the stream " + progress(accumulator)
                + " without finishing the answer", null, null);
          }
          done = true; // finished without a [DONE] marker, as some servers do
        }
      }
      ChatResponse response = accumulator.response(model, since(start), firstToken[0], null);
      LOG.debug("{} -> {} streamed in {} ms", exchange.endpoint, response.finishReason(), response.latency().toMillis());
      return response;
    }
  }

  private static String progress(StreamAccumulator accumulator) {
    return "after " + accumulator.pieces() + " tokens";
  }

  private String modelOf(ChatRequest request) {
    @Nullable String model = request.model();
    return model == null ? defaultModel : model;
  }

  private Duration since(long start) {
    return Duration.ofNanos(Math.max(0, client.ticker().read() - start));
  }

  @Override
  public String toString() {
    return "OpenAiChatModel[" + defaultModel + " at " + client.baseUrl() + "]";
  }
}
