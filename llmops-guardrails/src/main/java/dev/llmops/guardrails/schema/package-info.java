/**
 * Structured output: JSON answers validated against a JSON Schema, with a re-ask that carries the errors.
 *
 * <p>Entry point: {@link dev.llmops.guardrails.schema.JsonSchemaGuard} (an output guard named {@code json-schema},
 * built with {@code JsonSchemaGuard.builder().schema(json)...build()}); where the JSON is looked for is a
 * {@link dev.llmops.guardrails.schema.JsonExtraction}, what happens on failure a
 * {@link dev.llmops.guardrails.schema.SchemaAction}. {@link dev.llmops.guardrails.schema.JsonSchemaChecker} is the
 * compiled schema plus a bounded parser on its own (the tool-call guard uses it for arguments), returning a
 * {@link dev.llmops.guardrails.schema.JsonCheck}.
 */
@NullMarked
package dev.llmops.guardrails.schema;

import org.jspecify.annotations.NullMarked;
