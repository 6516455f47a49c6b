/**
 * Drift detection: has the traffic, or what the model makes of it, moved away from a reference?
 *
 * <p>Entry point: {@link dev.llmops.core.observe.drift.DriftMonitor#builder()}. Feed it one
 * {@link dev.llmops.core.observe.drift.DriftSample} per request (the input's embedding; whether a guard blocked it;
 * the answer's grounded fraction and length); it compares each window with a reference window and calls its
 * listeners with a {@link dev.llmops.core.observe.drift.DriftEvent} for every
 * {@link dev.llmops.core.observe.drift.DriftMetric} whose effect exceeds its threshold with a significant test.
 *
 * <pre>{@code
 * DriftMonitor monitor = DriftMonitor.builder()
 *     .window(500)                                  // the first 500 requests are the reference
 *     .clusters(10).psiThreshold(0.2).alpha(0.01)
 *     .listener(event -> log.warn("drift in {}: {} > {} (p={})",
 *         event.metric(), event.statistic(), event.threshold(), event.pValue()))
 *     .build();
 * monitor.record(new DriftSample(embedding, blocked, groundedFraction, answerLength));
 * }</pre>
 */
@NullMarked
package dev.llmops.core.observe.drift;

import org.jspecify.annotations.NullMarked;
