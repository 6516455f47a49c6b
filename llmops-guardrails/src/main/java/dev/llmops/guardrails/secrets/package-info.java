/** Secrets: cloud and SaaS keys and tokens, private key blocks, passwords in URLs and high-entropy strings. */
@NullMarked
package dev.llmops.guardrails.secrets;

import org.jspecify.annotations.NullMarked;
