/** Guard chains: ordered input and output guards run as one step, with fail-fast or run-all, per-guard timeouts and failure policies, metrics, streaming output checks and named, versioned policies loaded from JSON. */
@NullMarked
package dev.llmops.guardrails.chain;

import org.jspecify.annotations.NullMarked;
