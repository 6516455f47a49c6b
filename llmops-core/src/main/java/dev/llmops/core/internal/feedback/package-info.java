/** Implementations of the feedback store. Not API. */
@NullMarked
package dev.llmops.core.internal.feedback;

import org.jspecify.annotations.NullMarked;
