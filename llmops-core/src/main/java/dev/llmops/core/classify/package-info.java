/**
 * Text classification: the {@link dev.llmops.core.classify.TextClassifier} contract, used for example by
 * guards (injection, toxicity) and routers (intent).
 */
@NullMarked
package dev.llmops.core.classify;

import org.jspecify.annotations.NullMarked;
