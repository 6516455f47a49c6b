/**
 * Metrics and traces of the pipeline and the router, through Micrometer.
 *
 * <p>Entry points: {@link dev.llmops.core.observe.metrics.LlmOpsObservations#create} wraps each
 * {@link dev.llmops.core.observe.metrics.PipelineStage} in an {@code Observation} (a timer and, with
 * micrometer-tracing, a span), keyed by stage, route, release and outcome;
 * {@link dev.llmops.core.observe.metrics.RouterMetrics} is a {@code RouterListener} that counts every routed call's
 * requests, latency, cost and tokens.
 *
 * <pre>{@code
 * LlmOpsObservations observations = LlmOpsObservations.create(observationRegistry);
 * Router router = Router.builder()...listener(new RouterMetrics(meterRegistry)).build();
 * RoutedResponse answer = observations.observe(PipelineStage.ROUTE,
 *     new RequestTags(requestId, "support-bot", null), stage -> router.chat(request));
 * }</pre>
 */
@NullMarked
package dev.llmops.core.observe.metrics;

import org.jspecify.annotations.NullMarked;
