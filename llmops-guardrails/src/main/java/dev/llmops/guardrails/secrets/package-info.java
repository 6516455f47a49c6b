/**
 * Secrets: cloud and SaaS keys and tokens, private key blocks, passwords in URLs and high-entropy strings.
 *
 * <p>Entry point: {@link dev.llmops.guardrails.secrets.SecretsGuard} ({@code SecretsGuard.defaults()} or
 * {@code SecretsGuard.builder()}), an input and output guard named {@code secrets}. What it finds is listed in
 * {@link dev.llmops.guardrails.secrets.SecretType}; what it does about it is a
 * {@link dev.llmops.guardrails.secrets.SecretAction} (redact with {@code [REDACTED:TYPE]} by default, block, or
 * report); when strings of no known format count is an {@link dev.llmops.guardrails.secrets.EntropyMode}.
 */
@NullMarked
package dev.llmops.guardrails.secrets;

import org.jspecify.annotations.NullMarked;
