package dev.llmops.core.eval;

import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.routing.PriceTable;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.Router;
import java.util.Objects;

/**
 * What an evaluation runs its cases against: a model, a router release, or anything that answers a
 * {@link ChatRequest}. Implementations must be thread-safe when the evaluation runs with a concurrency above 1.
 */
@FunctionalInterface
public interface EvalTarget {

  /**
   * Answers one case's request.
   *
   * @param request the case's conversation
   * @return the answer with its cost and latency where known
   * @throws dev.llmops.core.LlmOpsException when the call fails; the runner records the attempt as failed and goes on
   */
  TargetAnswer answer(ChatRequest request);

  /** What the target is, for reports, such as {@code release support-v8 on route support-bot}. */
  default String description() {
    return "target";
  }

  /** Any chat model; the answers' cost is unknown, so {@code cost} assertions fail. */
  static EvalTarget of(ChatModel model) {
    Objects.requireNonNull(model, "model");
    return new EvalTarget() {
      @Override
      public TargetAnswer answer(ChatRequest request) {
        return TargetAnswer.of(model.chat(request));
      }

      @Override
      public String description() {
        return "model " + model;
      }
    };
  }

  /**
   * Any chat model, with each answer's cost from {@code prices} and the usage the model reported (unknown, so
   * failing {@code cost} assertions, when it reported none).
   */
  static EvalTarget of(ChatModel model, PriceTable prices) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(prices, "prices");
    return new EvalTarget() {
      @Override
      public TargetAnswer answer(ChatRequest request) {
        ChatResponse response = model.chat(request);
        return new TargetAnswer(response, response.usage() == null ? null : prices.cost(response.usage()), null, null);
      }

      @Override
      public String description() {
        return "model " + model;
      }
    };
  }

  /**
   * One release of a router, whatever the route's split says, through {@link Router#chatWithRelease}: the route's
   * limits, budgets, retries and fallbacks apply, the release's generation parameters are applied, and the calls
   * feed no canary or experiment. The response cache is bypassed, so repeated attempts reach the model. Costs and
   * latencies are the router's.
   *
   * @throws dev.llmops.core.NotFoundException if the router has no such route or release
   */
  static EvalTarget release(Router router, String route, String release) {
    Objects.requireNonNull(router, "router");
    router.routeConfiguration(route);
    router.release(release);
    return new EvalTarget() {
      @Override
      public TargetAnswer answer(ChatRequest request) {
        return TargetAnswer.of(router.chatWithRelease(release, RouteRequest.builder(route, request).cacheable(false).build()));
      }

      @Override
      public String description() {
        return "release " + release + " on route " + route;
      }
    };
  }
}
