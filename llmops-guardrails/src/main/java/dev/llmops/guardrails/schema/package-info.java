/** Structured output: JSON answers validated against a JSON Schema, with a re-ask that carries the errors. */
@NullMarked
package dev.llmops.guardrails.schema;

import org.jspecify.annotations.NullMarked;
