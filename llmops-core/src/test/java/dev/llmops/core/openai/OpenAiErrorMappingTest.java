package dev.llmops.core.openai;

import static dev.llmops.core.openai.OpenAiJson.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmops.core.AuthenticationException;
import dev.llmops.core.ConflictException;
import dev.llmops.core.ContextTooLongException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.PolicyViolationException;
import dev.llmops.core.QuotaExceededException;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.RequestTimeoutException;
import dev.llmops.core.RetriableException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.openai.OpenAiJson.RecordingListener;
import dev.llmops.core.openai.ScriptedHttpServer.Script;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTP error responses, in the dialects of several servers, mapped to the llmops exception hierarchy. */
class OpenAiErrorMappingTest extends LoopbackServerTest {

  private static final String KEY = "sk-proj-SECRET0123456789abcdefXYZ";

  private ChatModel model() {
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey(KEY).requestTimeout(Duration.ofSeconds(5)).build();
    return client.chatModel("gpt-test");
  }

  private String endpoint() {
    return "POST " + server.baseUrl() + "/chat/completions";
  }

  private static String openAiError(String message, String type, String code) {
    return "{\"error\":{\"message\":" + OpenAiJson.quote(message) + ",\"type\":\"" + type + "\",\"param\":null,\"code\":"
        + (code == null ? "null" : "\"" + code + "\"") + "}}";
  }

  private LlmOpsException failureOf(Script script) {
    server.enqueue(script);
    ChatModel model = model();
    LlmOpsException e = catchThrowableOfType(LlmOpsException.class, () -> model.chat(hello()));
    assertThat(e).as("the call should have failed").isNotNull();
    return e;
  }

  @Test
  void badRequestIsInvalidRequestWithTheServersMessage() {
    assertThatThrownBy(() -> {
      server.enqueue(Script.json(400, openAiError("Invalid value for 'temperature': must be <= 2.",
          "invalid_request_error", "invalid_value")));
      model().chat(hello());
    })
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(endpoint() + " answered 400")
        .hasMessageContaining("Invalid value for 'temperature': must be <= 2.")
        .hasMessageContaining("type=invalid_request_error")
        .hasMessageContaining("code=invalid_value")
        .satisfies(e -> assertThat(((LlmOpsException) e).isRetriable()).isFalse());
  }

  @Test
  void unauthorizedIsAuthenticationAndNeverShowsTheKeyTheServerEchoes() {
    LlmOpsException e = failureOf(Script.json(401, openAiError(
        "Incorrect API key provided: " + KEY + ". You can find your API key at https://platform.openai.com.",
        "invalid_request_error", "invalid_api_key")));

    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.isRetriable()).isFalse();
    assertThat(e.getMessage()).contains("Incorrect API key provided: ****").doesNotContain(KEY).doesNotContain("SECRET");
    assertThat(server.onlyRequest().header("Authorization")).as("the key itself was sent").isEqualTo("Bearer " + KEY);
  }

  @Test
  void theKeyIsNotShownEvenWhereALongPlainTextBodyIsCutShort() {
    // the body is abbreviated for the message; the cut must not leave a piece of the key behind
    String body = "x".repeat(270) + " rejected key " + KEY + " for this account";

    LlmOpsException e = failureOf(Script.text(403, body));

    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.getMessage()).doesNotContain(KEY.substring(0, 8)).doesNotContain("SECRET");
  }

  @Test
  void theKeyIsNotShownInAVllmOrOllamaErrorEither() {
    LlmOpsException vllm = failureOf(Script.json(400,
        "{\"object\":\"error\",\"message\":\"bad header Bearer " + KEY + "\",\"type\":\"BadRequestError\",\"code\":400}"));
    assertThat(vllm.getMessage()).doesNotContain(KEY).contains("bad header Bearer ****");
  }

  @Test
  void notFoundIsNotFound() {
    LlmOpsException e = failureOf(Script.json(404, openAiError(
        "The model `gpt-9` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found")));

    assertThat(e).isInstanceOf(NotFoundException.class).hasMessageContaining("The model `gpt-9` does not exist");
    assertThat(e.isRetriable()).isFalse();
  }

  @Test
  void rateLimitedWithRetryAfterSeconds() {
    LlmOpsException e = failureOf(Script.json(429, openAiError("Rate limit reached for requests", "requests",
        "rate_limit_exceeded")).header("Retry-After", "7"));

    assertThat(e).isInstanceOf(RateLimitedException.class).hasMessageContaining("Rate limit reached");
    assertThat(e.isRetriable()).isTrue();
    assertThat(((RetriableException) e).retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void rateLimitedWithRetryAfterMillisecondsPrefersTheMilliseconds() {
    LlmOpsException e = failureOf(Script.json(429, openAiError("slow down", "requests", "rate_limit_exceeded"))
        .header("retry-after-ms", "1500").header("Retry-After", "2"));

    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(((RetriableException) e).retryAfter()).contains(Duration.ofMillis(1500));
  }

  @Test
  void rateLimitedWithAnHttpDateRetryAfterIsReadAgainstTheClock() {
    Instant now = Instant.parse("2030-03-14T12:00:00Z");
    String in30Seconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(30).atOffset(ZoneOffset.UTC));
    server.enqueue(Script.json(429, openAiError("slow down", "requests", null)).header("Retry-After", in30Seconds));
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).clock(Clock.fixed(now, ZoneOffset.UTC)).build();

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> client.chatModel("gpt-test").chat(hello()));

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
  }

  @Test
  void rateLimitedWithoutRetryAfterHasNoDelay() {
    LlmOpsException e = failureOf(Script.json(429, openAiError("slow down", "requests", null)));

    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(((RetriableException) e).retryAfter()).isEmpty();
  }

  @Test
  void insufficientQuotaIsQuotaExceededAndNotRetriable() {
    LlmOpsException e = failureOf(Script.json(429, openAiError(
        "You exceeded your current quota, please check your plan and billing details.",
        "insufficient_quota", "insufficient_quota")).header("Retry-After", "1"));

    assertThat(e).isInstanceOf(QuotaExceededException.class).hasMessageContaining("You exceeded your current quota");
    assertThat(e.isRetriable()).isFalse();
  }

  @Test
  void serverErrorIsUnavailableAndRetriable() {
    LlmOpsException e = failureOf(Script.json(500, openAiError("The server had an error", "server_error", null)));

    assertThat(e).isInstanceOf(UnavailableException.class).hasMessageContaining("answered 500: The server had an error");
    assertThat(e.isRetriable()).isTrue();
    assertThat(((RetriableException) e).retryAfter()).isEmpty();
  }

  @Test
  void serviceUnavailableCarriesItsRetryAfter() {
    LlmOpsException e = failureOf(Script.json(503, openAiError("overloaded", "server_error", null))
        .header("Retry-After", "3"));

    assertThat(e).isInstanceOf(UnavailableException.class).hasMessageContaining("overloaded");
    assertThat(e.isRetriable()).isTrue();
    assertThat(((RetriableException) e).retryAfter()).contains(Duration.ofSeconds(3));
  }

  @Test
  void gatewayTimeoutIsRequestTimeout() {
    LlmOpsException e = failureOf(Script.text(504, "upstream request timeout"));

    assertThat(e).isInstanceOf(RequestTimeoutException.class).hasMessageContaining("answered 504: upstream request timeout");
    assertThat(e.isRetriable()).isTrue();
  }

  @Test
  void vllmErrorDialect() {
    LlmOpsException e = failureOf(Script.json(400, "{\"object\":\"error\",\"message\":\"This model's maximum context "
        + "length is 4096 tokens.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}"));

    assertThat(e).isInstanceOf(ContextTooLongException.class) // still an InvalidRequestException
        .hasMessageContaining("This model's maximum context length is 4096 tokens.")
        .hasMessageContaining("type=BadRequestError");
  }

  @Test
  void openAiContextLengthCodeIsContextTooLong() {
    LlmOpsException e = failureOf(Script.json(400, "{\"error\":{\"message\":\"Too many tokens.\","
        + "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}"));

    assertThat(e).isInstanceOf(ContextTooLongException.class).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Too many tokens.");
    assertThat(e.isRetriable()).isFalse();
  }

  @Test
  void ollamaErrorDialect() {
    LlmOpsException e = failureOf(Script.json(404, "{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}"));

    assertThat(e).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("answered 404: model \"llama9\" not found, try pulling it first");
  }

  @Test
  void plainTextErrorBody() {
    LlmOpsException e = failureOf(Script.text(502, "upstream connect error or disconnect/reset before headers"));

    assertThat(e).isInstanceOf(UnavailableException.class)
        .hasMessageContaining("answered 502: upstream connect error or disconnect/reset before headers");
  }

  @Test
  void emptyErrorBody() {
    LlmOpsException e = failureOf(Script.status(500));

    assertThat(e).isInstanceOf(UnavailableException.class).hasMessageContaining("answered 500: (empty body)");
  }

  @Test
  void aLongPlainTextErrorBodyIsAbbreviated() {
    LlmOpsException e = failureOf(Script.text(500, "y".repeat(5_000)));

    assertThat(e.getMessage()).hasSizeLessThan(1_000).contains("(5000 characters)");
  }

  @Test
  void contentFilterErrorIsAPolicyViolation() {
    LlmOpsException e = failureOf(Script.json(400, openAiError("The response was filtered due to the prompt "
        + "triggering content management policy.", "invalid_request_error", "content_filter")));

    assertThat(e).isInstanceOf(PolicyViolationException.class).hasMessageContaining("content management policy");
    assertThat(e.isRetriable()).isFalse();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "400, InvalidRequestException, false",
      "401, AuthenticationException, false",
      "403, AuthenticationException, false",
      "404, NotFoundException, false",
      "408, RequestTimeoutException, true",
      "409, ConflictException, false",
      "413, InvalidRequestException, false",
      "418, InvalidRequestException, false",
      "422, InvalidRequestException, false",
      "429, RateLimitedException, true",
      "500, UnavailableException, true",
      "502, UnavailableException, true",
      "503, UnavailableException, true",
      "504, RequestTimeoutException, true",
  })
  void everyStatusMapsToItsExceptionAndRetriability(int status, String exception, boolean retriable) {
    LlmOpsException e = failureOf(Script.json(status, openAiError("status " + status, "error", null)));

    assertThat(e.getClass().getSimpleName()).isEqualTo(exception);
    assertThat(e.isRetriable()).isEqualTo(retriable);
    assertThat(e).hasMessageContaining("answered " + status + ": status " + status);
  }

  @Test
  void conflictIsConflict() {
    assertThat(failureOf(Script.json(409, openAiError("exists", "conflict", null)))).isInstanceOf(ConflictException.class);
  }

  @Test
  void streamedCallsMapErrorsTheSameWay() {
    server.enqueue(Script.json(429, openAiError("slow down", "requests", null)).header("Retry-After", "4"));
    ChatModel model = model();
    RecordingListener listener = new RecordingListener();

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class, () -> model.stream(hello(), listener));

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(4));
    assertThat(listener.tokens).isEmpty();
  }

  @Test
  void embeddingCallsMapErrorsTheSameWay() {
    server.enqueue(Script.json(401, openAiError("Incorrect API key provided: " + KEY, "invalid_request_error",
        "invalid_api_key")));
    model();

    assertThatThrownBy(() -> client.embeddingModel("text-embedding-test").embedAll(List.of("a")))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("POST " + server.baseUrl() + "/embeddings answered 401")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
  }
}
