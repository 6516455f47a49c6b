/**
 * The {@code llmops} command: {@link dev.llmops.cli.LlmOpsCommand} is the entry point and
 * {@link dev.llmops.cli.LlmOpsCommand#execute(String...)} runs it in-process (for tools that embed it).
 *
 * <p>Conventions every subcommand follows: data goes to standard output (or {@code --out}), progress and
 * diagnostics to standard error, and the exit status says what happened:
 * {@value dev.llmops.cli.ExitCodes#OK} success, {@value dev.llmops.cli.ExitCodes#FAILED} a failure that
 * retrying will not fix, {@value dev.llmops.cli.ExitCodes#USAGE} bad arguments,
 * {@value dev.llmops.cli.ExitCodes#RETRIABLE} a failure that may pass if run again (rate limit, timeout,
 * outage), so CI jobs can retry only those.
 */
@NullMarked
package dev.llmops.cli;

import org.jspecify.annotations.NullMarked;
