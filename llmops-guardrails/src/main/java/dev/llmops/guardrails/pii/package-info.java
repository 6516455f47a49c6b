/** Personal data: recognizers for Presidio's entity types, validated by checksums where the type has one, and operators that redact, mask, hash or reversibly pseudonymise what they find. */
@NullMarked
package dev.llmops.guardrails.pii;

import org.jspecify.annotations.NullMarked;
