/** Helpers shared inside llmops-core. Not an API. */
@NullMarked
package dev.llmops.core.internal;

import org.jspecify.annotations.NullMarked;
