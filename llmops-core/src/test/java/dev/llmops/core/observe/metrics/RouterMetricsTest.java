package dev.llmops.core.observe.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.observe.cost.CostTracker;
import dev.llmops.core.routing.CallRecord;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.PriceTable;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.RetryPolicy;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.Router;
import dev.llmops.core.routing.RouterListener;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real router, with this listener and a cost tracker behind it. */
class RouterMetricsTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final RouterMetrics metrics = new RouterMetrics(meters);
  private final CostTracker costs = CostTracker.builder().build();

  @Test
  void answeredAndFailedCallsAreCountedWithTheirTokensCostAndLatency() {
    // 1,000 prompt tokens (400 cached), 300 completion tokens (100 of them reasoning).
    TokenUsage usage = new TokenUsage(1_000, 300, 400, 100);
    Router router = Router.builder().meterRegistry(new SimpleMeterRegistry()).seed(1)
        .clock(java.time.Clock.fixed(java.time.Instant.parse("2026-03-01T12:00:00Z"), java.time.ZoneOffset.UTC))
        .listener(new RouterListener() {
          @Override
          public void onCall(CallRecord call) {
            metrics.onCall(call);
            costs.routerListener().onCall(call);
          }
        })
        .deployment(Deployment.builder("mini", request -> new ChatResponse("answer", List.of(), FinishReason.STOP,
            usage, "mini-2026", Duration.ofMillis(20), null, null)).prices(new PriceTable(1.0, 0.5, 2.0)).build())
        .deployment(Deployment.builder("down", request -> {
          throw new UnavailableException("endpoint down");
        }).build())
        .release(Release.builder("v1").deployments("mini").build())
        .release(Release.builder("broken").deployments("down").build())
        .route(Route.builder("support").release("v1", 1).build())
        .route(Route.builder("doomed").release("broken", 1).retry(RetryPolicy.NONE).build())
        .build();

    for (int i = 0; i < 3; i++) {
      router.chat(RouteRequest.builder("support", ChatRequest.of("q" + i)).tenant("acme-" + i).build());
    }
    assertThatThrownBy(() -> router.chat(RouteRequest.of("doomed", ChatRequest.of("q")))).isNotNull();

    String[] answered = {"route", "support", "release", "v1", "arm", "route", "deployment", "mini", "outcome",
        "answered"};
    assertThat(meters.get("llmops.call.requests").tags(answered).counter().count()).isEqualTo(3);
    assertThat(meters.get("llmops.call.latency").tags(answered).timer().count()).isEqualTo(3);
    // 600 uncached x 1.0 + 400 cached x 0.5 + 300 output x 2.0 = 1,400 per million, per call
    assertThat(meters.get("llmops.call.cost").tags(answered).counter().count()).isCloseTo(3 * 0.0014,
        org.assertj.core.data.Offset.offset(1e-15));
    assertThat(tokens(answered, "input")).isEqualTo(3_000);
    assertThat(tokens(answered, "cached_input")).isEqualTo(1_200);
    assertThat(tokens(answered, "output")).isEqualTo(900);
    assertThat(tokens(answered, "reasoning")).isEqualTo(300);

    assertThat(meters.get("llmops.call.requests").tags("route", "doomed", "deployment", "down", "outcome", "failed")
        .counter().count()).isEqualTo(1);
    assertThat(meters.find("llmops.call.tokens").tags("route", "doomed").counters()).allSatisfy(
        c -> assertThat(c.count()).isZero());
    // Tenants are not tags; the cost tracker keeps them.
    assertThat(meters.getMeters()).extracting(Meter::getId).allSatisfy(id -> assertThat(id.getTag("tenant")).isNull());
    assertThat(costs.routeTotal("support", LocalDate.of(2026, 3, 1))).isEqualByComparingTo("0.0042");
    assertThat(costs.tenantTotal("acme-1", LocalDate.of(2026, 3, 1))).isEqualByComparingTo("0.0014");
    assertThat(costs.routeTotal("doomed", LocalDate.of(2026, 3, 1))).isEqualByComparingTo("0");
  }

  private double tokens(String[] tags, String type) {
    return meters.get("llmops.call.tokens").tags(tags).tag("type", type).counter().count();
  }
}
