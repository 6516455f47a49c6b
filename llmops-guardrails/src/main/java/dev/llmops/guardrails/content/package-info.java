/** Content policy: allowed and banned topics by embedding similarity and keywords, and toxicity. */
@NullMarked
package dev.llmops.guardrails.content;

import org.jspecify.annotations.NullMarked;
