package dev.llmops.core.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.Ticker;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.internal.openai.HttpLineStream;
import dev.llmops.core.internal.openai.HttpWholeResponse;
import dev.llmops.core.internal.openai.OpenAiErrors;
import dev.llmops.core.internal.openai.OpenAiWire;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one OpenAI-compatible server: base URL, credentials, headers, timeouts and a
 * connection pool, shared by the chat and embedding models it hands out.
 *
 * <pre>{@code
 * try (OpenAiClient client = OpenAiClient.builder()
 *     .baseUrl("http://localhost:8000/v1")          // vLLM, Ollama, TGI, ... or leave out for OpenAI
 *     .apiKeyFromEnvironment("OPENAI_API_KEY")
 *     .build()) {
 *   ChatModel model = client.chatModel("gpt-4o-mini");
 *   String answer = model.chat("Say hello");
 * }
 * }</pre>
 *
 * <p>Threads: a non-streamed call waits on the calling thread; a stream also occupies one thread of the client's
 * pool until it ends or is closed, and hands its lines to the calling thread, where the listener runs.
 *
 * <p>Thread-safe. The API key is never logged and is removed from exception messages, even where the
 * server echoes it. {@link #close()} waits for calls in flight (up to the request timeout) and then
 * shuts down the client's pool (a stream still open then fails); calls after that fail with
 * {@link IllegalStateException}. On Java 17 the JDK's selector thread ends once the client is unreachable.
 */
public final class OpenAiClient implements AutoCloseable {

  /** OpenAI's own endpoint, the default base URL. */
  public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiClient.class);
  private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

  private final URI baseUri;
  private final @Nullable String apiKey;
  private final @Nullable String azureApiVersion;
  private final Map<String, String> headers;
  private final Duration requestTimeout;
  private final Duration streamIdleTimeout;
  private final boolean streamUsage;
  private final int embeddingBatchSize;
  private final Ticker ticker;
  private final Clock clock;
  private final ExecutorService executor;
  private final HttpClient http;
  private final Object lock = new Object();
  private int inFlight;
  private boolean closed;

  private OpenAiClient(Builder b) {
    this.baseUri = b.baseUri;
    this.apiKey = b.resolveApiKey();
    this.azureApiVersion = b.azureApiVersion;
    this.headers = Map.copyOf(b.headers);
    this.requestTimeout = b.requestTimeout;
    this.streamIdleTimeout = b.streamIdleTimeout;
    this.streamUsage = b.streamUsage;
    this.embeddingBatchSize = b.embeddingBatchSize;
    this.ticker = b.ticker;
    this.clock = b.clock;
    int id = CLIENT_IDS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "llmops-openai-" + id + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder()
        .connectTimeout(b.connectTimeout)
        .executor(executor)
        .followRedirects(HttpClient.Redirect.NEVER) // a redirected POST would become a GET, or carry the key elsewhere
        .build();
  }

  /** A builder with OpenAI's base URL and default timeouts. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A chat model for {@code modelId} (on Azure OpenAI: the deployment name). A request that names its own
   * model overrides it.
   */
  public ChatModel chatModel(String modelId) {
    return new OpenAiChatModel(this, requireModel(modelId));
  }

  /** An embedding model for {@code modelId} (on Azure OpenAI: the deployment name). */
  public EmbeddingModel embeddingModel(String modelId) {
    return new OpenAiEmbeddingModel(this, requireModel(modelId), null);
  }

  /**
   * An embedding model that asks the server for vectors of {@code dimensions} (models that support
   * shortening, such as {@code text-embedding-3-*}).
   */
  public EmbeddingModel embeddingModel(String modelId, int dimensions) {
    if (dimensions < 1) {
      throw new IllegalArgumentException("dimensions must be at least 1 but was " + dimensions);
    }
    return new OpenAiEmbeddingModel(this, requireModel(modelId), dimensions);
  }

  private static String requireModel(String modelId) {
    if (modelId.isBlank()) {
      throw new IllegalArgumentException("a model id must not be blank");
    }
    return modelId;
  }

  /** The base URL calls go to. */
  public URI baseUrl() {
    return baseUri;
  }

  // ------------------------------------------------------------------ used by the models

  Duration streamIdleTimeout() {
    return streamIdleTimeout;
  }

  boolean streamUsage() {
    return streamUsage;
  }

  int embeddingBatchSize() {
    return embeddingBatchSize;
  }

  Ticker ticker() {
    return ticker;
  }

  /**
   * Sends a JSON POST to {@code path} (such as {@code /embeddings}) of {@code model} and returns the parsed
   * JSON answer; the whole exchange is bounded by the request timeout.
   *
   * @throws dev.llmops.core.LlmOpsException the mapped error for a non-2xx status or a transport failure
   * @throws dev.llmops.core.MalformedResponseException if a 2xx body is not JSON
   */
  JsonNode postJson(String path, String model, JsonNode body) {
    Prepared prepared = prepare(path, model, body, false);
    acquire();
    try {
      HttpWholeResponse response = HttpWholeResponse.send(http, prepared.request, prepared.endpoint, requestTimeout);
      if (response.status() / 100 != 2) {
        throw OpenAiErrors.toException(response.status(), response.headers(), response.text(), prepared.endpoint, clock, apiKey);
      }
      return OpenAiWire.parseResponse("the response of " + prepared.endpoint, response.text());
    } finally {
      release();
    }
  }

  /** Sends a JSON POST that asks for a server-sent-event stream; the caller reads and closes the exchange. */
  Exchange openStream(String path, String model, JsonNode body) {
    Prepared prepared = prepare(path, model, body, true);
    acquire();
    long deadline = System.nanoTime() + requestTimeout.toNanos();
    try {
      return new Exchange(HttpLineStream.open(http, prepared.request, prepared.endpoint, executor), prepared.endpoint, deadline);
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  private record Prepared(HttpRequest request, String endpoint) {}

  private Prepared prepare(String path, String model, JsonNode body, boolean eventStream) {
    URI uri = uri(path, model);
    String endpoint = "POST " + uri;
    byte[] bytes;
    try {
      bytes = OpenAiWire.JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("could not write the request body for " + endpoint + ": " + e.getOriginalMessage(), e);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .header("Accept", eventStream ? "text/event-stream" : "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    if ("http".equals(uri.getScheme())) {
      request.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain-HTTP servers
    }
    if (apiKey != null) {
      if (azureApiVersion != null) {
        request.header("api-key", apiKey);
      } else {
        request.header("Authorization", "Bearer " + apiKey);
      }
    }
    headers.forEach(request::header);
    LOG.debug("{} ({} bytes)", endpoint, bytes.length);
    return new Prepared(request.build(), endpoint);
  }

  private void acquire() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the OpenAI client for " + baseUri + " is closed");
      }
      inFlight++;
    }
  }

  private URI uri(String path, String model) {
    String base = baseUri.toString();
    if (azureApiVersion != null) {
      // URLEncoder writes a space as '+', which means '+' in a path: encode it as %20 instead.
      String deployment = URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
      return URI.create(base + "/openai/deployments/" + deployment + path
          + "?api-version=" + URLEncoder.encode(azureApiVersion, StandardCharsets.UTF_8));
    }
    return URI.create(base + path);
  }

  private void release() {
    synchronized (lock) {
      inFlight--;
      lock.notifyAll();
    }
  }

  /** An exchange in progress; closing it releases the connection and the in-flight slot. */
  final class Exchange implements AutoCloseable {
    final HttpLineStream stream;
    final String endpoint;
    /** When the request timeout runs out ({@link System#nanoTime()}): it bounds a whole non-streamed response. */
    private final long deadline;
    private boolean released;

    private Exchange(HttpLineStream stream, String endpoint, long deadline) {
      this.stream = stream;
      this.endpoint = endpoint;
      this.deadline = deadline;
    }

    /** Waits for the headers and, if the status is not 2xx, reads the body and throws the mapped error. */
    void awaitSuccess() {
      stream.awaitHeaders(requestTimeout);
      int status = stream.status();
      if (status / 100 != 2) {
        String body = readBody();
        throw OpenAiErrors.toException(status, stream.headers(), body, endpoint, clock, apiKey);
      }
    }

    /** The whole body, which must arrive within the request timeout counted from the start of the call. */
    String readBody() {
      return stream.readAll(deadline, requestTimeout);
    }

    /**
     * The exception for an {@code error} event inside a stream: classified like an HTTP error by its numeric
     * {@code code} when it has one (or as a 400 for an invalid-request type), else as a 503.
     */
    LlmOpsException streamError(JsonNode error, String progress) {
      int status = 503;
      JsonNode code = error.path("code");
      String type = error.path("type").asText("");
      if (code.canConvertToInt() && code.asInt() >= 400 && code.asInt() <= 599) {
        status = code.asInt();
      } else if (type.contains("invalid_request") || type.contains("BadRequest")) {
        status = 400;
      }
      String body = "{\"error\":" + error + "}";
      return OpenAiErrors.toException(status, HttpHeaders.of(Map.of(), (a, b) -> true), body,
          endpoint + " (in the stream, " + progress + ")", clock, apiKey);
    }

    String contentType() {
      return stream.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
      stream.close();
      if (!released) {
        released = true;
        release();
      }
    }
  }

  /**
   * Stops accepting calls, waits up to the request timeout for calls in flight to finish, then releases
   * the client's threads. Idempotent.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + requestTimeout.toNanos();
    synchronized (lock) {
      closed = true;
      while (inFlight > 0) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          LOG.info("closing the OpenAI client for {} with {} calls still in flight", baseUri, inFlight);
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "OpenAiClient[baseUrl=" + baseUri + ", apiKey=" + (apiKey == null ? "none" : "****")
        + (azureApiVersion == null ? "" : ", azureApiVersion=" + azureApiVersion) + "]";
  }

  /**
   * Builds an {@link OpenAiClient}. Every setter checks its value at once and names it in the exception.
   * Not thread-safe.
   */
  public static final class Builder {
    private URI baseUri = URI.create(OPENAI_BASE_URL);
    private @Nullable String apiKey;
    private @Nullable String apiKeyVariable;
    private @Nullable String azureApiVersion;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Duration streamIdleTimeout = Duration.ofSeconds(30);
    private boolean streamUsage = true;
    private int embeddingBatchSize = 256;
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /**
     * The server's base URL, up to and including the API version path, such as
     * {@code http://localhost:11434/v1}. For Azure OpenAI use {@link #azure(String, String)}.
     */
    public Builder baseUrl(String url) {
      URI uri;
      try {
        uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("base URL is not a valid URI: '" + url + "'", e);
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("base URL must be an absolute http or https URL but was '" + url + "'");
      }
      if (uri.getQuery() != null) {
        throw new IllegalArgumentException("base URL must not have a query string but was '" + url + "'");
      }
      this.baseUri = uri;
      return this;
    }

    /**
     * Targets an Azure OpenAI resource: requests go to
     * {@code {endpoint}/openai/deployments/{model}/...?api-version={apiVersion}} with an {@code api-key}
     * header, and model ids are deployment names.
     */
    public Builder azure(String resourceEndpoint, String apiVersion) {
      baseUrl(resourceEndpoint);
      if (apiVersion.isBlank()) {
        throw new IllegalArgumentException("the Azure api-version must not be blank");
      }
      this.azureApiVersion = apiVersion;
      return this;
    }

    /** The API key, sent as a bearer token (or as {@code api-key} on Azure). */
    public Builder apiKey(String apiKey) {
      if (apiKey.isBlank()) {
        throw new IllegalArgumentException("the API key must not be blank");
      }
      this.apiKey = apiKey;
      this.apiKeyVariable = null;
      return this;
    }

    /**
     * Reads the API key from environment variable {@code name} when the client is built.
     *
     * @throws IllegalArgumentException at {@link #build()} if the variable is unset or blank
     */
    public Builder apiKeyFromEnvironment(String name) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("the environment variable name must not be blank");
      }
      this.apiKeyVariable = name;
      this.apiKey = null;
      return this;
    }

    /** The OpenAI organization, sent as {@code OpenAI-Organization}. */
    public Builder organization(String organization) {
      return header("OpenAI-Organization", organization);
    }

    /** The OpenAI project, sent as {@code OpenAI-Project}. */
    public Builder project(String project) {
      return header("OpenAI-Project", project);
    }

    /** An extra header sent with every request (a gateway key, a tenant id). */
    public Builder header(String name, String value) {
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new IllegalArgumentException("not a valid HTTP header name: '" + name + "'");
      }
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("the value of header '" + name + "' contains a line break");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("content-type") || lower.equals("accept") || lower.equals("content-length")) {
        throw new IllegalArgumentException("header '" + name + "' is set by the client and cannot be overridden");
      }
      try {
        HttpRequest.newBuilder().header(name, value); // the HTTP client's own rules (Host, Connection, ...)
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("header '" + name + "' cannot be sent: " + e.getMessage(), e);
      }
      headers.put(name, value);
      return this;
    }

    /** The longest wait to open a connection; default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connect timeout", timeout);
      return this;
    }

    /**
     * The longest wait for a whole non-streamed response, and for the headers of a streamed one;
     * default 60 s.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("request timeout", timeout);
      return this;
    }

    /** The longest silence between two events of a stream before it counts as stalled; default 30 s. */
    public Builder streamIdleTimeout(Duration timeout) {
      this.streamIdleTimeout = positive("stream idle timeout", timeout);
      return this;
    }

    /**
     * Whether streamed calls ask for a final usage chunk ({@code stream_options.include_usage}); default
     * true. Turn off for servers that reject the option.
     */
    public Builder streamUsage(boolean include) {
      this.streamUsage = include;
      return this;
    }

    /** The most inputs sent in one embeddings request; larger batches are split. Default 256. */
    public Builder embeddingBatchSize(int size) {
      if (size < 1 || size > 2048) {
        throw new IllegalArgumentException("embedding batch size must be in [1, 2048] but was " + size);
      }
      this.embeddingBatchSize = size;
      return this;
    }

    /** The ticker latencies are measured with; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The clock an HTTP-date {@code Retry-After} is read against; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The environment variables to read the API key from; default {@link System#getenv()}. For tests. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    private static Duration positive(String what, Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive but was " + d);
      }
      return d;
    }

    private @Nullable String resolveApiKey() {
      if (apiKey != null) {
        return apiKey;
      }
      String variable = apiKeyVariable;
      if (variable == null && baseUri.toString().equals(OPENAI_BASE_URL)) {
        variable = "OPENAI_API_KEY"; // only for OpenAI itself: never send an OpenAI key to another server by default
      }
      if (variable == null) {
        return null;
      }
      String value = environment.get(variable);
      if (value == null || value.isBlank()) {
        if (apiKeyVariable != null) {
          throw new IllegalArgumentException("environment variable " + variable + " holds no API key");
        }
        return null;
      }
      return value.strip();
    }

    /** Builds the client. */
    public OpenAiClient build() {
      return new OpenAiClient(this);
    }
  }
}
