/**
 * Relevance scoring of query/passage pairs: the {@link dev.llmops.core.scoring.ScoringModel} contract that
 * cross-encoders implement and retrieval uses to re-rank.
 */
@NullMarked
package dev.llmops.core.scoring;

import org.jspecify.annotations.NullMarked;
