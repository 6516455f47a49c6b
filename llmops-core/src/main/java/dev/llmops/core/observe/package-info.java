/**
 * Lineage: what made each answer, where it is stored, and why two answers differ.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link dev.llmops.core.observe.LineageRecord#builder} – one record per request (release, prompt version,
 *       model version, index snapshot, chunks, guard verdicts, usage, cost, stage latencies, output hash), with a
 *       stable one-line JSON form ({@link dev.llmops.core.observe.LineageRecord#toJson()});</li>
 *   <li>{@link dev.llmops.core.observe.LineageRecorder#forRouter} – a router listener that records every call;</li>
 *   <li>{@link dev.llmops.core.observe.AsyncLineageWriter} over a {@link dev.llmops.core.observe.LineageSink}
 *       ({@link dev.llmops.core.observe.LineageSink#jsonLines JSON Lines files},
 *       {@link dev.llmops.core.observe.LineageSink#jdbc PostgreSQL}, or your own);</li>
 *   <li>{@link dev.llmops.core.observe.LineageReader#jsonLines} – reads the files back;</li>
 *   <li>{@link dev.llmops.core.observe.LineageDiff#between} – "why did this answer change?".</li>
 * </ul>
 *
 * <pre>{@code
 * try (AsyncLineageWriter writer = AsyncLineageWriter.builder(
 *     LineageSink.jsonLines(Path.of("/var/log/llmops"), RotationPolicy.bySize(64 << 20))).build()) {
 *   Router router = Router.builder()...listener(LineageRecorder.forRouter(writer, userHashKey)).build();
 *   ...
 * }
 * LineageReader reader = LineageReader.jsonLines(Path.of("/var/log/llmops"));
 * String why = LineageDiff.between(reader.find(idA).orElseThrow(), reader.find(idB).orElseThrow()).describe();
 * }</pre>
 *
 * <p>Prompt and answer text are recorded only under {@link dev.llmops.core.observe.ContentPolicy#on} or
 * {@link dev.llmops.core.observe.ContentPolicy#redactedBy}, through a redactor; users only as an HMAC
 * ({@link dev.llmops.core.observe.Lineage#hashUser}).
 */
@NullMarked
package dev.llmops.core.observe;

import org.jspecify.annotations.NullMarked;
