/** Prompt injection and jailbreak detection: fast rules combined with a classifier over sentence embeddings, and invisible or bidirectional Unicode detection. */
@NullMarked
package dev.llmops.guardrails.injection;

import org.jspecify.annotations.NullMarked;
