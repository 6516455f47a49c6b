/**
 * Prompt injection and jailbreak detection, and invisible-text detection.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link dev.llmops.guardrails.injection.InjectionGuard} ({@code prompt-injection}): fast
 *       {@link dev.llmops.guardrails.injection.InjectionRules} (instruction overrides, jailbreak personas, fake
 *       system markers, prompt extraction, output forcing, base64/hex/binary/tag-encoded instructions, token floods,
 *       hidden characters; through leetspeak and look-alike folding), plus, given a core
 *       {@link dev.llmops.core.embedding.EmbeddingModel}, a logistic-regression
 *       {@link dev.llmops.guardrails.injection.InjectionClassifier} over sentence embeddings (shipped weights for
 *       {@code all-minilm-l6-v2}), plus optionally a user-supplied {@link dev.llmops.core.classify.TextClassifier};
 *       {@code InjectionGuard.defaults()} runs the rules only;</li>
 *   <li>{@link dev.llmops.guardrails.injection.InjectionClassifier#train InjectionClassifier.train} with
 *       {@link dev.llmops.guardrails.injection.LabelledText} examples and
 *       {@link dev.llmops.guardrails.injection.TrainingSettings}: deterministic training of weights for any embedding
 *       model, saved and loaded as JSON;</li>
 *   <li>{@link dev.llmops.guardrails.injection.InvisibleTextGuard} ({@code invisible-text}): zero-width, bidirectional
 *       control, tag and stray variation-selector characters, stripped (default), blocked or reported.</li>
 * </ul>
 */
@NullMarked
package dev.llmops.guardrails.injection;

import org.jspecify.annotations.NullMarked;
