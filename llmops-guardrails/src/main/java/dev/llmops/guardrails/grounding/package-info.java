/**
 * Grounding: whether each sentence of an answer is supported by the retrieved chunks it cites.
 *
 * <p>Entry point: {@link dev.llmops.guardrails.grounding.GroundingGuard} (an output guard named {@code grounding},
 * reading {@link dev.llmops.core.guard.OutputContext#sources()}); its
 * {@link dev.llmops.guardrails.grounding.GroundingGuard#assess assess} method returns a
 * {@link dev.llmops.guardrails.grounding.GroundingReport} with one
 * {@link dev.llmops.guardrails.grounding.SentenceSupport} per sentence and the grounded fraction, for lineage and
 * evaluation. Options: {@link dev.llmops.guardrails.grounding.CitationStyle},
 * {@link dev.llmops.guardrails.grounding.UncitedSentences}, {@link dev.llmops.guardrails.grounding.GroundingAction}
 * and {@link dev.llmops.guardrails.grounding.UnknownCitationAction}.
 */
@NullMarked
package dev.llmops.guardrails.grounding;

import org.jspecify.annotations.NullMarked;
