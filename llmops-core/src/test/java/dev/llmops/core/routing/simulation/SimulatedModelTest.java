package dev.llmops.core.routing.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The simulated model's latency distribution, failures and effect on simulated time. */
class SimulatedModelTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ChatRequest REQUEST = ChatRequest.of("q");

  @Test
  void latenciesFollowTheGivenMedianAndP95AndMoveOnlyTheTicker() {
    SimulatedClock time = new SimulatedClock(T0);
    SimulatedModel model = new SimulatedModel("m", 0, 800, 2000, 600, 200, time, 42);
    double[] millis = new double[20_000];
    long total = 0;
    for (int i = 0; i < millis.length; i++) {
      ChatResponse r = model.chat(REQUEST);
      millis[i] = r.latency().toNanos() / 1e6;
      total += r.latency().toNanos();
      assertThat(r.usage()).isEqualTo(TokenUsage.of(600, 200));
    }
    Arrays.sort(millis);
    assertThat(millis[millis.length / 2]).isCloseTo(800, within(800 * 0.03));
    assertThat(millis[(int) (millis.length * 0.95)]).isCloseTo(2000, within(2000 * 0.04));
    assertThat(time.read()).isEqualTo(total);
    assertThat(time.instant()).isEqualTo(T0);
  }

  @Test
  void failsAtItsErrorRateWhichCanChangeWhileRunning() {
    SimulatedClock time = new SimulatedClock(T0);
    SimulatedModel model = new SimulatedModel("m", 0.2, 100, 100, 1, 1, time, 7);
    int failures = 0;
    for (int i = 0; i < 10_000; i++) {
      try {
        model.chat(REQUEST);
      } catch (UnavailableException e) {
        failures++;
        assertThat(e.getMessage()).contains("'m'");
      }
    }
    assertThat(failures).isBetween(1_850, 2_150);
    assertThat(model.failures()).isEqualTo(failures);
    assertThat(time.read()).isEqualTo(Duration.ofMillis(100).toNanos() * 10_000); // p95 = median: fixed latency

    model.errorRate(0);
    model.latency(50, 50);
    for (int i = 0; i < 1_000; i++) {
      assertThat(model.chat(REQUEST).latency()).isEqualTo(Duration.ofMillis(50));
    }
    model.errorRate(1);
    assertThatThrownBy(() -> model.chat(REQUEST)).isInstanceOf(UnavailableException.class);
  }

  @Test
  void theSameSeedDrawsTheSameCalls() {
    SimulatedModel a = new SimulatedModel("m", 0.5, 300, 900, 1, 1, new SimulatedClock(T0), 3);
    SimulatedModel b = new SimulatedModel("m", 0.5, 300, 900, 1, 1, new SimulatedClock(T0), 3);
    for (int i = 0; i < 200; i++) {
      assertThat(outcome(a)).isEqualTo(outcome(b));
    }
  }

  private static String outcome(SimulatedModel model) {
    try {
      return model.chat(REQUEST).latency().toString();
    } catch (UnavailableException e) {
      return "failed";
    }
  }

  @Test
  void badValuesAreRefusedWithTheValue() {
    SimulatedClock time = new SimulatedClock(T0);
    assertThatThrownBy(() -> new SimulatedModel("m", 1.5, 100, 200, 1, 1, time, 1))
        .hasMessage("errorRate must be within [0, 1] but was 1.5");
    assertThatThrownBy(() -> new SimulatedModel("m", 0, 100, 50, 1, 1, time, 1))
        .hasMessage("latency p95 must be at least the median (100.0 ms) but was 50.0");
    assertThatThrownBy(() -> new SimulatedModel("m", 0, 0, 50, 1, 1, time, 1))
        .hasMessageContaining("median must be a positive number of milliseconds but was 0.0");
  }

  @Test
  void theClockMovesOnlyForwardAndSleepingMovesTheTicker() {
    SimulatedClock time = new SimulatedClock(T0);
    time.advanceTo(T0.plusSeconds(2));
    time.sleep(Duration.ofMillis(300));
    assertThat(time.instant()).isEqualTo(T0.plusSeconds(2));
    assertThat(time.read()).isEqualTo(Duration.ofMillis(2_300).toNanos());
    assertThat(time.slept()).isEqualTo(Duration.ofMillis(300));
    assertThat(time.millis()).isEqualTo(T0.plusSeconds(2).toEpochMilli());
    assertThatThrownBy(() -> time.advanceTo(T0.plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(T0.plusSeconds(1).toString());
    assertThatThrownBy(() -> time.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
  }
}
