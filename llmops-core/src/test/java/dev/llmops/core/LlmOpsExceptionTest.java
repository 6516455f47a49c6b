package dev.llmops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmOpsExceptionTest {

  @Test
  void retriabilityFollowsTheBranch() {
    List<LlmOpsException> retriable = List.of(new RateLimitedException("r"), new RequestTimeoutException("t"),
        new UnavailableException("u"));
    List<LlmOpsException> notRetriable = List.of(new InvalidRequestException("i"), new AuthenticationException("a"),
        new QuotaExceededException("q"), new NotFoundException("n"), new ConflictException("c"),
        new PolicyViolationException("p"), new CancelledException("x", null), new MalformedResponseException("m"));

    assertThat(retriable).allSatisfy(e -> {
      assertThat(e.isRetriable()).isTrue();
      assertThat(e).isInstanceOf(RetriableException.class);
    });
    assertThat(notRetriable).allSatisfy(e -> {
      assertThat(e.isRetriable()).isFalse();
      assertThat(e).isInstanceOf(NonRetriableException.class);
    });
  }

  @Test
  void retryAfterIsOptionalAndNeverNegative() {
    assertThat(new UnavailableException("u").retryAfter()).isEmpty();
    assertThat(new RateLimitedException("r", Duration.ofSeconds(2), null).retryAfter()).contains(Duration.ofSeconds(2));
    assertThatThrownBy(() -> new RateLimitedException("r", Duration.ofSeconds(-1), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryAfter");
  }

  @Test
  void keepsMessageAndCause() {
    IllegalStateException cause = new IllegalStateException("root");
    LlmOpsException e = new MalformedResponseException("what broke", cause);

    assertThat(e).hasMessage("what broke").hasCause(cause);
  }
}
