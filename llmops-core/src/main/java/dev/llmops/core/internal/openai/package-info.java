/**
 * The OpenAI chat-completions and embeddings wire format, in both directions (the client writes requests
 * and reads responses; the test kit's loopback server does the reverse). Not an API: exported only to
 * {@code dev.llmops.test}.
 */
@NullMarked
package dev.llmops.core.internal.openai;

import org.jspecify.annotations.NullMarked;
