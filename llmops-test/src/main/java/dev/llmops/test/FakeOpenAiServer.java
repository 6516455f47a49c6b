package dev.llmops.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmops.core.AuthenticationException;
import dev.llmops.core.ConflictException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.PolicyViolationException;
import dev.llmops.core.QuotaExceededException;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.RequestTimeoutException;
import dev.llmops.core.RetriableException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.internal.openai.OpenAiWire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP server on the loopback interface that speaks the OpenAI protocol
 * ({@code POST /v1/chat/completions}, streamed or not, and {@code POST /v1/embeddings}) and answers with the
 * {@link ChatModel} and {@link EmbeddingModel} it is given — usually a {@link ScriptedChatModel} and a
 * {@link DeterministicEmbeddingModel}. Point any OpenAI-compatible client at {@link #baseUrl()} to test it
 * end to end, over real sockets, without a hosted model.
 *
 * <pre>{@code
 * try (FakeOpenAiServer server = FakeOpenAiServer.builder()
 *         .chatModel(ScriptedChatModel.alwaysReplying("Hi!")).start()) {
 *   OpenAiClient client = OpenAiClient.builder().baseUrl(server.baseUrl()).build();
 *   ...
 * }
 * }</pre>
 *
 * <p>Exceptions thrown by the models become the HTTP errors a hosted service would send: a
 * {@link RateLimitedException} is a 429 with {@code Retry-After}, an {@link InvalidRequestException} a
 * 400, an {@link dev.llmops.core.UnavailableException} a 503, and so on, so clients' error handling can be
 * tested with {@link ScriptedChatModel.Builder#fail}. A streamed answer sends its headers with the first
 * token, so a model that fails before any token still gets its HTTP status; one that fails later ends the
 * stream with an {@code error} event. Each response closes its connection ({@code Connection: close}): the JDK's
 * HTTP server on Java 17 sometimes drops a reused keep-alive connection without answering, and a fake must not be
 * flaky. Thread-safe; {@link #close()} stops the server.
 */
public final class FakeOpenAiServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final @Nullable ChatModel chatModel;
  private final @Nullable EmbeddingModel embeddingModel;
  private final @Nullable String apiKey;
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  private final List<String> authorizations = new ArrayList<>();

  private FakeOpenAiServer(Builder b) throws IOException {
    this.chatModel = b.chatModel;
    this.embeddingModel = b.embeddingModel;
    this.apiKey = b.apiKey;
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(b.threads, r -> {
      Thread t = new Thread(r, "fake-openai-server-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 64);
    server.setExecutor(executor);
    server.createContext("/v1/", this::handle);
    server.start();
  }

  /** A builder; give it at least a chat or an embedding model. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a server that answers chats with {@code chatModel}. */
  public static FakeOpenAiServer start(ChatModel chatModel) {
    return builder().chatModel(chatModel).start();
  }

  /** The base URL to give a client, such as {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + "/v1";
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** How many HTTP requests the server received. */
  public int requestCount() {
    return requestCount.get();
  }

  /** The {@code Authorization} header of every request, in arrival order ({@code ""} when absent). */
  public List<String> authorizations() {
    synchronized (authorizations) {
      return List.copyOf(authorizations);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    requestCount.incrementAndGet();
    // One request per connection: the JDK's HttpServer on Java 17 races when a pooled keep-alive connection
    // is reused, and the client then sees the connection close with no response. A fake must not be flaky.
    exchange.getResponseHeaders().set("Connection", "close");
    try {
      String authorization = Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Authorization"), "");
      synchronized (authorizations) {
        authorizations.add(authorization);
      }
      if (apiKey != null && !authorization.equals("Bearer " + apiKey)) {
        sendError(exchange, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key", null);
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        sendError(exchange, 405, "Use POST.", "invalid_request_error", null, null);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        body = OpenAiWire.JSON.readTree(in.readAllBytes());
      } catch (IOException e) {
        sendError(exchange, 400, "The request body is not valid JSON.", "invalid_request_error", null, null);
        return;
      }
      if (body == null || !body.isObject()) {
        sendError(exchange, 400, "The request body must be a JSON object.", "invalid_request_error", null, null);
        return;
      }
      switch (path) {
        case "/v1/chat/completions" -> chat(exchange, body);
        case "/v1/embeddings" -> embeddings(exchange, body);
        default -> sendError(exchange, 404, "Unknown path " + path, "invalid_request_error", null, null);
      }
    } catch (RuntimeException e) {
      // Whatever went wrong (a script that ran out, a bug in a model), the client gets a 500 that says so.
      try {
        sendError(exchange, 500, "The fake server failed: " + e, "server_error", null, null);
      } catch (IOException | RuntimeException ignored) {
        // headers were already sent; closing the exchange ends the response
      }
    } finally {
      exchange.close();
    }
  }

  private void chat(HttpExchange exchange, JsonNode body) throws IOException {
    ChatModel model = chatModel;
    if (model == null) {
      sendError(exchange, 404, "This server has no chat model.", "invalid_request_error", "model_not_found", null);
      return;
    }
    ChatRequest request;
    try {
      request = OpenAiWire.parseChatRequest(body);
    } catch (IllegalArgumentException e) {
      sendError(exchange, 400, e.getMessage(), "invalid_request_error", null, null);
      return;
    }
    String id = "chatcmpl-fake-" + ids.incrementAndGet();
    long created = System.currentTimeMillis() / 1000;
    if (!body.path("stream").asBoolean(false)) {
      ChatResponse response;
      try {
        response = model.chat(request);
      } catch (LlmOpsException e) {
        sendError(exchange, e);
        return;
      }
      sendJson(exchange, 200, OpenAiWire.chatResponse(response, id, created));
      return;
    }
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    SseWriter sse = new SseWriter(exchange);
    ChatResponse response;
    try {
      response = model.stream(request, token -> sse.send(OpenAiWire.contentChunk(id, created,
          request.model() == null ? "fake" : request.model(), token, sse.events == 0)));
    } catch (LlmOpsException e) {
      if (sse.started) {
        sse.send(OpenAiWire.errorBody(e.getMessage(), typeOf(e), null));
        return;
      }
      sendError(exchange, e);
      return;
    } catch (UncheckedIOException clientGone) {
      return; // the client closed the connection (it cancelled); nothing more to send
    }
    sse.send(OpenAiWire.finishChunk(id, created, response));
    if (includeUsage && response.usage() != null) {
      sse.send(OpenAiWire.usageChunk(id, created, response.modelId(), response.usage()));
    }
    sse.done();
  }

  private void embeddings(HttpExchange exchange, JsonNode body) throws IOException {
    EmbeddingModel model = embeddingModel;
    if (model == null) {
      sendError(exchange, 404, "This server has no embedding model.", "invalid_request_error", "model_not_found", null);
      return;
    }
    List<String> inputs;
    try {
      inputs = OpenAiWire.parseEmbeddingInputs(body);
    } catch (IllegalArgumentException e) {
      sendError(exchange, 400, e.getMessage(), "invalid_request_error", null, null);
      return;
    }
    EmbeddingResult result;
    try {
      result = model.embedAll(inputs);
    } catch (LlmOpsException e) {
      sendError(exchange, e);
      return;
    }
    List<float[]> vectors = new ArrayList<>();
    for (Embedding e : result.embeddings()) {
      vectors.add(e.vector());
    }
    sendJson(exchange, 200, OpenAiWire.embeddingResponse(
        body.path("model").asText(result.modelId()), vectors, Math.max(0, result.totalTokens())));
  }

  private static String typeOf(LlmOpsException e) {
    return e.isRetriable() ? "server_error" : "invalid_request_error";
  }

  private static void sendError(HttpExchange exchange, LlmOpsException e) throws IOException {
    String message = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    Duration retryAfter = e instanceof RetriableException r ? r.retryAfter().orElse(null) : null;
    int status;
    String code = null;
    if (e instanceof RateLimitedException) {
      status = 429;
      code = "rate_limit_exceeded";
    } else if (e instanceof QuotaExceededException) {
      status = 429;
      code = "insufficient_quota";
    } else if (e instanceof PolicyViolationException) {
      status = 400;
      code = "content_filter";
    } else if (e instanceof InvalidRequestException) {
      status = 400;
    } else if (e instanceof AuthenticationException) {
      status = 401;
    } else if (e instanceof NotFoundException) {
      status = 404;
    } else if (e instanceof ConflictException) {
      status = 409;
    } else if (e instanceof RequestTimeoutException) {
      status = 504;
    } else if (e.isRetriable()) {
      status = 503;
    } else {
      status = 500;
    }
    sendError(exchange, status, message, typeOf(e), code, retryAfter);
  }

  private static void sendError(HttpExchange exchange, int status, String message, String type,
      @Nullable String code, @Nullable Duration retryAfter) throws IOException {
    if (retryAfter != null) {
      long seconds = (retryAfter.toMillis() + 999) / 1000;
      exchange.getResponseHeaders().add("Retry-After", Long.toString(seconds));
      exchange.getResponseHeaders().add("retry-after-ms", Long.toString(retryAfter.toMillis()));
    }
    sendJson(exchange, status, OpenAiWire.errorBody(message, type, code));
  }

  private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = OpenAiWire.JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Writes server-sent events; sends the headers with the first event. */
  private static final class SseWriter {
    private final HttpExchange exchange;
    private @Nullable OutputStream out;
    boolean started;
    int events;

    SseWriter(HttpExchange exchange) {
      this.exchange = exchange;
    }

    void send(JsonNode data) {
      write("data: " + data + "\n\n");
      events++;
    }

    void done() {
      write("data: [DONE]\n\n");
    }

    private void write(String text) {
      try {
        if (out == null) {
          exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
          exchange.getResponseHeaders().set("Cache-Control", "no-cache");
          exchange.sendResponseHeaders(200, 0);
          out = exchange.getResponseBody();
          started = true;
        }
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("the client went away", e);
      }
    }
  }

  /** Stops the server at once; calls in progress are cut off. Idempotent. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FakeOpenAiServer[" + baseUrl() + "]";
  }

  /** Builds and starts a {@link FakeOpenAiServer}. Not thread-safe. */
  public static final class Builder {
    private @Nullable ChatModel chatModel;
    private @Nullable EmbeddingModel embeddingModel;
    private @Nullable String apiKey;
    private int port;
    private int threads = 16;

    private Builder() {}

    /** The model that answers {@code /v1/chat/completions}. */
    public Builder chatModel(ChatModel model) {
      this.chatModel = Objects.requireNonNull(model, "model");
      return this;
    }

    /** The model that answers {@code /v1/embeddings}. */
    public Builder embeddingModel(EmbeddingModel model) {
      this.embeddingModel = Objects.requireNonNull(model, "model");
      return this;
    }

    /** Requires {@code Authorization: Bearer <apiKey>} and answers 401 otherwise. */
    public Builder requireApiKey(String apiKey) {
      if (apiKey.isBlank()) {
        throw new IllegalArgumentException("the API key must not be blank");
      }
      this.apiKey = apiKey;
      return this;
    }

    /** The port; default 0, any free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535] but was " + port);
      }
      this.port = port;
      return this;
    }

    /** How many requests are served at once; default 16. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1 but was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws IllegalStateException if neither model was given
     * @throws UncheckedIOException if the port cannot be bound
     */
    public FakeOpenAiServer start() {
      if (chatModel == null && embeddingModel == null) {
        throw new IllegalStateException("a fake OpenAI server needs a chat model, an embedding model or both");
      }
      try {
        return new FakeOpenAiServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the fake OpenAI server on port " + port, e);
      }
    }
  }
}
