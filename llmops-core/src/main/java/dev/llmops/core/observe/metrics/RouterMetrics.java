package dev.llmops.core.observe.metrics;

import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.routing.CallRecord;
import dev.llmops.core.routing.RouterListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RouterListener} that records every routed call in a {@link MeterRegistry}, with the low-cardinality tags
 * {@code route}, {@code release}, {@code arm} ({@code route}, {@code baseline}, {@code canary} or an experiment
 * arm), {@code deployment} ({@code none} when no deployment was tried) and {@code outcome} ({@code answered},
 * {@code cached}, {@code failed}). Tenants, users and request ids are never tags.
 *
 * <ul>
 *   <li>{@code llmops.call.requests} (counter): calls;</li>
 *   <li>{@code llmops.call.latency} (timer): the router's time per call, retries and waits included;</li>
 *   <li>{@code llmops.call.cost} (counter): cost in the price tables' currency, as the router priced it;</li>
 *   <li>{@code llmops.call.tokens} (counter, extra tag {@code type}): {@code input} (every prompt token, cached ones
 *       included), {@code cached_input} (the cached part of input), {@code output} (every completion token,
 *       reasoning included) and {@code reasoning} (the reasoning part of output). So input + output is the total and
 *       no token is counted twice within a type. Only answered calls that reported or estimated usage count tokens:
 *       a cached answer consumed none.</li>
 * </ul>
 *
 * <p>The names differ from the router's own {@code llmops.router.*} meters, which carry other tag sets. Meters are
 * built once per tag combination and reused. Thread-safe; register one instance with {@code Router.Builder.listener}.
 */
public final class RouterMetrics implements RouterListener {

  private record Key(String route, String release, String arm, String deployment, String outcome) {}

  private record Meters(Counter requests, Timer latency, Counter cost, Counter input, Counter cachedInput,
      Counter output, Counter reasoning) {}

  private final MeterRegistry registry;
  private final Map<Key, Meters> meters = new ConcurrentHashMap<>();

  /**
   * Records calls in {@code registry}.
   *
   * @param registry where the meters go
   */
  public RouterMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void onCall(CallRecord call) {
    String outcome = call.outcome().name().toLowerCase(Locale.ROOT);
    Meters m = meters.computeIfAbsent(new Key(call.route(), call.release().name(), call.arm(),
        orNone(call.deployment()), outcome), this::register);
    m.requests().increment();
    m.latency().record(call.latency());
    m.cost().increment(call.cost());
    ChatResponse response = call.response();
    TokenUsage usage = response == null ? null : response.usage();
    if (call.outcome() == CallRecord.Outcome.ANSWERED && usage != null) {
      m.input().increment(usage.inputTokens());
      m.cachedInput().increment(usage.cachedInputTokens());
      m.output().increment(usage.outputTokens());
      m.reasoning().increment(usage.reasoningTokens());
    }
  }

  private Meters register(Key key) {
    Tags tags = Tags.of("route", key.route(), "release", key.release(), "arm", key.arm(), "deployment",
        key.deployment(), "outcome", key.outcome());
    return new Meters(
        Counter.builder("llmops.call.requests").description("Routed calls").tags(tags).register(registry),
        Timer.builder("llmops.call.latency").description("Routed call latency, retries and waits included")
            .tags(tags).register(registry),
        Counter.builder("llmops.call.cost").description("Cost of routed calls").tags(tags).register(registry),
        tokens(tags, "input"), tokens(tags, "cached_input"), tokens(tags, "output"), tokens(tags, "reasoning"));
  }

  private Counter tokens(Tags tags, String type) {
    return Counter.builder("llmops.call.tokens").description("Tokens of routed calls, by type").baseUnit("tokens")
        .tags(tags).tag("type", type).register(registry);
  }

  private static String orNone(@Nullable String value) {
    return value == null ? "none" : value;
  }
}
