/**
 * Content policy: allowed and banned topics by embedding similarity and keywords, and toxicity.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link dev.llmops.guardrails.content.TopicGuard} ({@code topic}): allowed and banned topics, each with
 *       example phrases compared by embedding similarity (any core
 *       {@link dev.llmops.core.embedding.EmbeddingModel}) and keywords matched on folded text;</li>
 *   <li>{@link dev.llmops.guardrails.content.ToxicityGuard} ({@code toxicity}): a shipped lexicon of insults,
 *       profanity, threats, slurs, sexual and self-harm language (see
 *       {@link dev.llmops.guardrails.content.ToxicityCategory}), robust to leet, spacing, repeated letters and
 *       asterisk masking, optionally combined with a core {@link dev.llmops.core.classify.TextClassifier}.</li>
 * </ul>
 * Both take a {@link dev.llmops.guardrails.content.ContentAction}: block, mask (toxicity only) or report.
 */
@NullMarked
package dev.llmops.guardrails.content;

import org.jspecify.annotations.NullMarked;
