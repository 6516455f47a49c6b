package dev.llmops.core.internal.openai;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.llmops.core.UnavailableException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Maps an error response of an OpenAI-compatible server to the llmops exception hierarchy. */
public final class OpenAiErrors {

  private OpenAiErrors() {}

  /**
   * The exception for a non-2xx response.
   *
   * @param status the HTTP status
   * @param headers the response headers ({@code Retry-After}, {@code retry-after-ms})
   * @param body the response body, as text
   * @param endpoint the method and URL, for the message
   * @param clock to turn an HTTP-date {@code Retry-After} into a delay
   * @param secret a value that must not appear in the message (the API key), or {@code null}
   */
  public static LlmOpsException toException(
      int status, HttpHeaders headers, String body, String endpoint, Clock clock, @Nullable String secret) {
    // Redact before the body is abbreviated too: a cut through the secret would leave its first part behind.
    ErrorDetail detail = ErrorDetail.parse(redact(body, secret));
    String message = redact(endpoint + " answered " + status + ": " + detail.describe(), secret);
    Duration retryAfter = retryAfter(headers, clock).orElse(null);
    String code = detail.code() + " " + detail.type();
    if (status == 429) {
      return code.contains("insufficient_quota")
          ? new QuotaExceededException(message)
          : new RateLimitedException(message, retryAfter, null);
    }
    if (code.contains("content_filter") || code.contains("content_policy")) {
      return new PolicyViolationException(message);
    }
    if (code.contains("context_length_exceeded") || (status == 400 || status == 413)
        && detail.message().toLowerCase(java.util.Locale.ROOT).contains("maximum context length")) {
      return new ContextTooLongException(message);
    }
    return switch (status) {
      case 400, 413, 415, 422 -> new InvalidRequestException(message);
      case 401, 403 -> new AuthenticationException(message);
      case 404 -> new NotFoundException(message);
      case 408 -> new RequestTimeoutException(message, retryAfter, null);
      case 409 -> new ConflictException(message);
      case 504 -> new RequestTimeoutException(message, retryAfter, null);
      default -> status >= 500
          ? new UnavailableException(message, retryAfter, null)
          : new InvalidRequestException(message);
    };
  }

  /**
   * The delay a server asked for: {@code retry-after-ms} (milliseconds, as OpenAI sends), else
   * {@code Retry-After} in seconds or as an HTTP-date. Unparsable or past values give no delay.
   */
  public static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
    Optional<String> millis = headers.firstValue("retry-after-ms");
    if (millis.isPresent()) {
      try {
        double ms = Double.parseDouble(millis.get().trim());
        if (ms >= 0 && Double.isFinite(ms)) {
          return Optional.of(Duration.ofNanos((long) (ms * 1_000_000)));
        }
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    Optional<String> value = headers.firstValue("retry-after");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String text = value.get().trim();
    try {
      double seconds = Double.parseDouble(text);
      return seconds >= 0 && Double.isFinite(seconds)
          ? Optional.of(Duration.ofMillis((long) (seconds * 1000)))
          : Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration delay = Duration.between(clock.instant(), when.toInstant());
        return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  /** {@code text} with every occurrence of {@code secret} replaced by {@code ****}. */
  public static String redact(String text, @Nullable String secret) {
    return secret == null || secret.length() < 4 ? text : text.replace(secret, "****");
  }

  /** The error fields of the common server dialects (OpenAI, vLLM, Ollama, TGI). */
  private record ErrorDetail(String message, String type, String code) {

    static ErrorDetail parse(String body) {
      if (body.isBlank()) {
        return new ErrorDetail("(empty body)", "", "");
      }
      JsonNode root;
      try {
        root = OpenAiWire.JSON.readTree(body);
      } catch (Exception notJson) {
        return new ErrorDetail(OpenAiWire.abbreviate(body.strip()), "", "");
      }
      if (root == null || !root.isObject()) {
        return new ErrorDetail(OpenAiWire.abbreviate(body.strip()), "", "");
      }
      JsonNode error = root.path("error");
      if (error.isObject()) { // OpenAI, Azure
        return new ErrorDetail(error.path("message").asText(OpenAiWire.abbreviate(error.toString())),
            error.path("type").asText(""), error.path("code").asText(""));
      }
      if (error.isTextual()) { // Ollama, TGI
        return new ErrorDetail(error.asText(), root.path("error_type").asText(""), "");
      }
      if (root.has("message")) { // vLLM
        return new ErrorDetail(root.path("message").asText(), root.path("type").asText(""), root.path("code").asText(""));
      }
      return new ErrorDetail(OpenAiWire.abbreviate(body.strip()), "", "");
    }

    String describe() {
      StringBuilder text = new StringBuilder(message);
      if (!type.isEmpty() || !code.isEmpty()) {
        text.append(" (");
        if (!type.isEmpty()) {
          text.append("type=").append(type);
        }
        if (!code.isEmpty()) {
          text.append(type.isEmpty() ? "" : ", ").append("code=").append(code);
        }
        text.append(')');
      }
      return text.toString();
    }
  }
}
