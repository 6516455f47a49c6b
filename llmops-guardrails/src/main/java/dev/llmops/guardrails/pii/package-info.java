/**
 * Personal data: recognizers for Presidio's entity types, validated by checksums where the type has one, and
 * operators that redact, mask, hash or reversibly pseudonymise what they find.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link dev.llmops.guardrails.pii.PiiGuard} – the guard, input and output: {@code PiiGuard.defaults()} or
 *       {@code PiiGuard.builder().entities(...).operator(type, op).defaultOperator(op).minScore(0.5)
 *       .regions(List.of("US", "GB")).recognizer(ner).vault(vault).action(PiiAction.REWRITE).build()};
 *       {@link dev.llmops.guardrails.pii.PiiGuard#analyze(String)} returns the matches without a verdict;</li>
 *   <li>{@link dev.llmops.guardrails.pii.PiiOperator} and {@link dev.llmops.guardrails.pii.PiiAction} – what is done
 *       with a match, and with a text that has some;</li>
 *   <li>{@link dev.llmops.guardrails.pii.PiiVault} ({@code PiiVault.inMemory(ttl, maxScopes, clock)}) and
 *       {@link dev.llmops.guardrails.pii.PiiRestoreGuard} – reversible pseudonyms per conversation, restored in
 *       the answer for the authorised caller;</li>
 *   <li>{@link dev.llmops.guardrails.pii.EntityRecognizer} – plug in an NER model for {@code PERSON},
 *       {@code LOCATION} and other types patterns cannot find;</li>
 *   <li>{@link dev.llmops.guardrails.pii.PiiEntities} – the entity type names.</li>
 * </ul>
 */
@NullMarked
package dev.llmops.guardrails.pii;

import org.jspecify.annotations.NullMarked;
