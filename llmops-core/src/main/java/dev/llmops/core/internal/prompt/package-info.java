/** The prompt stores and the cache behind {@link dev.llmops.core.prompt.PromptStore}'s factories. Not an API. */
@NullMarked
package dev.llmops.core.internal.prompt;

import org.jspecify.annotations.NullMarked;
