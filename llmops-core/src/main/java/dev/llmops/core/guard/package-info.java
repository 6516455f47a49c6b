/**
 * The guard contract: {@link dev.llmops.core.guard.InputGuard}s look at what goes into a model,
 * {@link dev.llmops.core.guard.OutputGuard}s at what comes out, and each returns a sealed
 * {@link dev.llmops.core.guard.GuardVerdict}: {@link dev.llmops.core.guard.GuardVerdict.Pass},
 * {@link dev.llmops.core.guard.GuardVerdict.Rewrite} (go on with new text),
 * {@link dev.llmops.core.guard.GuardVerdict.Block} (stop, with a message safe for the user),
 * {@link dev.llmops.core.guard.GuardVerdict.Reask} (ask the model again, saying why) or
 * {@link dev.llmops.core.guard.GuardVerdict.Escalate} (hand to a human). Every verdict carries a risk score
 * and {@link dev.llmops.core.guard.Finding}s with character spans.
 */
@NullMarked
package dev.llmops.core.guard;

import org.jspecify.annotations.NullMarked;
