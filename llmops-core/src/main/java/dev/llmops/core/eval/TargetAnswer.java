package dev.llmops.core.eval;

import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.routing.RoutedResponse;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link EvalTarget} answered.
 *
 * @param response the model's answer
 * @param cost what the call cost, or {@code null} when unknown
 * @param latency how long the call took as the target measured it, or {@code null} for the runner to measure it
 * @param routed the router's whole answer when the target is a router release, else {@code null}
 */
public record TargetAnswer(
    ChatResponse response, @Nullable Double cost, @Nullable Duration latency, @Nullable RoutedResponse routed) {

  /** Validates. */
  public TargetAnswer {
    Objects.requireNonNull(response, "response");
  }

  /** An answer of unknown cost, timed by the runner. */
  public static TargetAnswer of(ChatResponse response) {
    return new TargetAnswer(response, null, null, null);
  }

  /** The router's answer with its cost, latency and request id. */
  public static TargetAnswer of(RoutedResponse routed) {
    return new TargetAnswer(routed.response(), routed.cost(), routed.latency(), routed);
  }
}
