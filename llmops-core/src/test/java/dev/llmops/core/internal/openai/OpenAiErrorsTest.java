package dev.llmops.core.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.AuthenticationException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.UnavailableException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiErrorsTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);
  private static final String ENDPOINT = "POST http://localhost/v1/chat/completions";

  private static HttpHeaders headers(String... nameValues) {
    Map<String, List<String>> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.put(nameValues[i], List.of(nameValues[i + 1]));
    }
    return HttpHeaders.of(map, (name, value) -> true);
  }

  private static Optional<Duration> retryAfter(String... nameValues) {
    return OpenAiErrors.retryAfter(headers(nameValues), CLOCK);
  }

  @Test
  void readsRetryAfterInSecondsAndFractions() {
    assertThat(retryAfter("Retry-After", "7")).contains(Duration.ofSeconds(7));
    assertThat(retryAfter("retry-after", " 0.25 ")).contains(Duration.ofMillis(250));
    assertThat(retryAfter("Retry-After", "0")).contains(Duration.ZERO);
  }

  @Test
  void prefersRetryAfterMsAndFallsBackWhenItIsUnreadable() {
    assertThat(retryAfter("retry-after-ms", "1500", "Retry-After", "9")).contains(Duration.ofMillis(1500));
    assertThat(retryAfter("retry-after-ms", "12.5")).contains(Duration.ofNanos(12_500_000));
    assertThat(retryAfter("retry-after-ms", "soon", "Retry-After", "9")).contains(Duration.ofSeconds(9));
    assertThat(retryAfter("retry-after-ms", "NaN", "Retry-After", "9")).contains(Duration.ofSeconds(9));
  }

  @Test
  void readsAnHttpDateAgainstTheClock() {
    assertThat(retryAfter("Retry-After", "Wed, 21 Oct 2015 07:28:45 GMT")).contains(Duration.ofSeconds(45));
    assertThat(retryAfter("Retry-After", "Wed, 21 Oct 2015 07:00:00 GMT")).as("a past date means now").contains(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-5", "Infinity", "tomorrow", "Wed, 99 Foo 2015"})
  void ignoresUnusableValues(String value) {
    assertThat(retryAfter("Retry-After", value)).isEmpty();
  }

  @Test
  void noHeaderNoDelay() {
    assertThat(retryAfter()).isEmpty();
  }

  private static LlmOpsException map(int status, String body, String secret) {
    return OpenAiErrors.toException(status, headers(), body, ENDPOINT, CLOCK, secret);
  }

  @Test
  void describesOpenAiErrorsWithTypeAndCode() {
    LlmOpsException e = map(400, "{\"error\":{\"message\":\"bad value\",\"type\":\"invalid_request_error\","
        + "\"param\":\"temperature\",\"code\":\"invalid_value\"}}", null);

    assertThat(e).isInstanceOf(InvalidRequestException.class)
        .hasMessage(ENDPOINT + " answered 400: bad value (type=invalid_request_error, code=invalid_value)");
  }

  @Test
  void describesTgiErrors() {
    LlmOpsException e = map(422, "{\"error\":\"Input validation error: inputs too long\",\"error_type\":\"validation\"}", null);

    assertThat(e).isInstanceOf(InvalidRequestException.class)
        .hasMessage(ENDPOINT + " answered 422: Input validation error: inputs too long (type=validation)");
  }

  @Test
  void anErrorObjectWithoutMessageIsShownAsJson() {
    assertThat(map(500, "{\"error\":{\"code\":\"boom\"}}", null))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("{\"code\":\"boom\"}")
        .hasMessageContaining("code=boom");
  }

  @Test
  void jsonThatIsNotAnErrorObjectIsShownAsText() {
    assertThat(map(500, "[\"odd\"]", null)).hasMessage(ENDPOINT + " answered 500: [\"odd\"]");
    assertThat(map(500, "{\"detail\":\"fastapi style\"}", null)).hasMessageContaining("{\"detail\":\"fastapi style\"}");
  }

  @Test
  void redactsTheSecretEverywhereInTheMessage() {
    String key = "sk-abcdefghijklmnop";
    LlmOpsException e = map(401, "{\"error\":{\"message\":\"key " + key + " is wrong\",\"type\":\"" + key + "\"}}", key);

    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.getMessage()).doesNotContain(key).contains("key **** is wrong").contains("type=****");
  }

  @Test
  void redactsBeforeAbbreviating() {
    String key = "sk-abcdefghijklmnop";
    String body = "e".repeat(290) + key + " trailing";

    assertThat(map(401, body, key).getMessage()).doesNotContain("sk-abcdef");
  }

  @Test
  void insufficientQuotaIsRecognisedByTypeToo() {
    assertThat(map(429, "{\"error\":{\"message\":\"quota\",\"type\":\"insufficient_quota\",\"code\":null}}", null))
        .isInstanceOf(dev.llmops.core.QuotaExceededException.class);
    assertThat(map(429, "{\"error\":{\"message\":\"slow\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}", null))
        .isInstanceOf(RateLimitedException.class);
  }
}
