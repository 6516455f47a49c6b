package dev.llmops.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeClockTest {

  @Test
  void standsStillUntilAdvanced() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(clock.read()).isZero();

    clock.advance(Duration.ofMillis(1500));

    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T10:00:01.500Z"));
    assertThat(clock.read()).isEqualTo(1_500_000_000L);
    assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void zoneViewsShareTheSameTime() {
    FakeClock clock = FakeClock.create();
    FakeClock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    clock.advance(Duration.ofHours(1));
    assertThat(paris.instant()).isEqualTo(clock.instant()).isEqualTo(FakeClock.DEFAULT_START.plusSeconds(3600));
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }

  @Test
  void drivesARoutersRetriesWithoutWaiting() {
    FakeClock clock = FakeClock.create();
    ScriptedChatModel model = ScriptedChatModel.builder()
        .fail(() -> new dev.llmops.core.RateLimitedException("429", Duration.ofSeconds(2), null))
        .reply("hello").build();
    dev.llmops.core.routing.Router router = dev.llmops.core.routing.Router.builder()
        .clock(clock).ticker(clock).sleeper(clock)
        .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
        .deployment(dev.llmops.core.routing.Deployment.builder("m", model).build())
        .release(dev.llmops.core.routing.Release.builder("v1").deployments("m").build())
        .route(dev.llmops.core.routing.Route.builder("bot").release("v1", 1).build())
        .build();

    String answer = router.chat(dev.llmops.core.routing.RouteRequest.of("bot",
        dev.llmops.core.chat.ChatRequest.of("hi"))).text();

    assertThat(answer).isEqualTo("hello");
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(2)); // the Retry-After, slept on the fake clock
  }

  @Test
  void refusesToGoBack() {
    assertThatThrownBy(() -> FakeClock.create().advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
  }

  @Test
  void advancesAtomicallyFromManyThreads() throws InterruptedException {
    FakeClock clock = FakeClock.create();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          clock.advance(Duration.ofNanos(1));
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(clock.read()).isEqualTo(80_000);
  }
}
