/**
 * Lineage: what made each answer. Entry point: {@link dev.llmops.core.observe.LineageRecord#builder}, one record per
 * request naming the release, prompt version, model version, index snapshot, retrieved chunks, guard verdicts,
 * usage, cost, stage latencies and a hash of the answer; {@link dev.llmops.core.observe.LineageRecord#toJson()} is
 * its stable one-line JSON form.
 *
 * <pre>{@code
 * LineageRecord record = LineageRecord.builder(answer.requestId(), start)
 *     .userHash(Lineage.hashUser(userId, key))
 *     .routed(answer)                                   // a RoutedResponse from the router
 *     .chunks(retrieved)
 *     .build();
 * String line = record.toJson();
 * }</pre>
 *
 * <p>Prompt and answer text are recorded only under {@link dev.llmops.core.observe.ContentPolicy#on}, through a
 * redactor.
 */
@NullMarked
package dev.llmops.core.observe;

import org.jspecify.annotations.NullMarked;
