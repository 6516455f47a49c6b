/**
 * Feedback on answers, and datasets made from it.
 *
 * <p>Entry points: {@link dev.llmops.core.observe.feedback.FeedbackStore} ({@code inMemory()} or {@code jdbc(dataSource)})
 * keeps {@link dev.llmops.core.observe.feedback.Feedback} (a score, label, comment or correction by an author,
 * attached to a request's lineage id); {@link dev.llmops.core.observe.feedback.FeedbackExport} writes it as a
 * redacted JSON Lines dataset joined with the recorded prompt and answer.
 *
 * <pre>{@code
 * FeedbackStore store = FeedbackStore.jdbc(dataSource);
 * store.add(Feedback.builder(answer.requestId(), "reviewer-7").score(0).label("wrong")
 *     .correction("The refund window is 30 days.").build());
 * FeedbackExport.builder(requestId -> lineage.find(requestId)).redactor(pii::redact).build()
 *     .write(store.between(from, to), Path.of("eval/feedback.jsonl"));
 * }</pre>
 */
@NullMarked
package dev.llmops.core.observe.feedback;

import org.jspecify.annotations.NullMarked;
