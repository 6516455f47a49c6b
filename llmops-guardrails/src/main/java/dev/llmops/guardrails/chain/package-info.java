/**
 * Guard chains: ordered input and output guards run as one step under a named, versioned policy.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link dev.llmops.guardrails.chain.GuardChain} – built in code with
 *       {@code GuardChain.builder("support-bot", "3").failurePolicy(FailurePolicy.FAIL_CLOSED).input(guard)
 *       .output(guard).build()}; {@code checkInput} and {@code checkOutput} return a
 *       {@link dev.llmops.guardrails.chain.ChainResult} (the combined verdict, the text to go on with, and a
 *       {@link dev.llmops.guardrails.chain.GuardRecord} per guard for lineage), and {@code streamOutput} a
 *       {@link dev.llmops.guardrails.chain.StreamingOutputCheck} that releases a streamed answer sentence by
 *       sentence;</li>
 *   <li>{@link dev.llmops.guardrails.chain.GuardPolicy} – the same chain as a JSON file:
 *       {@code GuardPolicy.load(path)} or {@code GuardPolicy.builtIn("default")}, then
 *       {@code toChain(GuardResources)}; {@link dev.llmops.guardrails.chain.GuardResources} supplies what JSON cannot
 *       hold (models, keys, vaults, custom {@link dev.llmops.guardrails.chain.GuardFactory}s), and
 *       {@link dev.llmops.guardrails.chain.GuardOptions} reads a guard's options for a custom factory;</li>
 *   <li>per-guard {@link dev.llmops.guardrails.chain.GuardSettings} (timeout, failure policy, monitor-only,
 *       streaming mode), {@link dev.llmops.guardrails.chain.ChainMode} (fail-fast or run-all),
 *       {@link dev.llmops.guardrails.chain.FailurePolicy} (fail open or closed; always chosen explicitly),
 *       {@link dev.llmops.guardrails.chain.ReviewQueue} for escalations, and
 *       {@link dev.llmops.guardrails.chain.WholeAnswerGuard} for output guards that only judge a whole answer.</li>
 * </ul>
 *
 * <p>Chains register {@code llmops.guard.verdicts}, {@code llmops.guard.duration} and
 * {@code llmops.guard.chain.verdicts} with the meter registry they are given.
 */
@NullMarked
package dev.llmops.guardrails.chain;

import org.jspecify.annotations.NullMarked;
