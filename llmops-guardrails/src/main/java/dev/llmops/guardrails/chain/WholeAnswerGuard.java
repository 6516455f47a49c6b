package dev.llmops.guardrails.chain;

import dev.llmops.core.guard.OutputGuard;

/**
 * An output guard that can only judge a whole answer (a JSON document, the tool calls of a turn, the grounding of
 * every claim). A chain checking a stream runs such guards once, when the stream ends, unless their settings say
 * {@link GuardSettings.Streaming#PER_SENTENCE} explicitly. The built-in JSON Schema, tool-call and grounding guards
 * implement it.
 */
public interface WholeAnswerGuard extends OutputGuard {}
