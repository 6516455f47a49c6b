/**
 * The router: releases, routes, fallbacks, circuit breaking, canary releases with automatic rollback, A/B
 * experiments, rate limits, budgets and a response cache.
 *
 * <p>Entry point: {@link dev.llmops.core.routing.Router#builder()}. Register {@link dev.llmops.core.routing.Deployment}s
 * (any {@link dev.llmops.core.chat.ChatModel} with a name, {@link dev.llmops.core.routing.PriceTable} and limits),
 * {@link dev.llmops.core.routing.Release}s (immutable bundles: deployments, prompt version, index snapshot, guard
 * policy, generation parameters) and {@link dev.llmops.core.routing.Route}s (a logical name with weighted releases,
 * {@link dev.llmops.core.routing.RetryPolicy}, fallbacks by {@link dev.llmops.core.routing.ErrorClass},
 * {@link dev.llmops.core.routing.RateLimit}s and {@link dev.llmops.core.routing.Budget}s), then call
 * {@link dev.llmops.core.routing.Router#chat(RouteRequest)} or {@link dev.llmops.core.routing.Router#stream}.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("gpt-4o-mini", openAi.chatModel("gpt-4o-mini")).prices(PriceTable.of(0.15, 0.60)).build())
 *     .deployment(Deployment.builder("llama-8b", vllm.chatModel("llama-3.1-8b")).build())
 *     .release(Release.builder("support-v7").deployments("gpt-4o-mini", "llama-8b").prompt("support-answer@7").build())
 *     .release(Release.builder("support-v8").deployments("gpt-4o-mini").prompt("support-answer@8").build())
 *     .route(Route.builder("support-bot").release("support-v7", 1)
 *         .limit(RateLimit.requestsPerMinute(LimitScope.TENANT, 600)).budget(Budget.dailyHardLimit(50)).build())
 *     .limitStore(LimitStore.jdbc(dataSource))      // instances share limits and budgets
 *     .build();
 * Canary canary = router.startCanary("support-bot", "support-v8", CanaryPlan.builder().build(), "ana");
 * RoutedResponse answer = router.chat(RouteRequest.builder("support-bot", request).unit(userId).tenant("acme").build());
 * router.recordQuality(answer.requestId(), groundedFraction);   // feeds the canary's quality metric
 * }</pre>
 *
 * <p>Canaries: {@link dev.llmops.core.routing.Router#startCanary} with a {@link dev.llmops.core.routing.CanaryPlan}
 * (its Javadoc gives the decision rules) returns a {@link dev.llmops.core.routing.Canary} handle; decisions arrive as
 * {@link dev.llmops.core.routing.CanaryEvent}s at the {@link dev.llmops.core.routing.RouterListener}. Experiments:
 * {@link dev.llmops.core.routing.Router#startExperiment} and {@link dev.llmops.core.routing.Router#experimentReport}.
 * A deterministic simulator of all of it is in {@code dev.llmops.core.routing.simulation}.
 */
@NullMarked
package dev.llmops.core.routing;

import org.jspecify.annotations.NullMarked;
