/** Grounding: whether each sentence of an answer is supported by the retrieved chunks it cites. */
@NullMarked
package dev.llmops.guardrails.grounding;

import org.jspecify.annotations.NullMarked;
