/**
 * Tool calls: allow-lists, argument validation against each tool's JSON Schema, rate and budget limits and
 * approval for dangerous tools.
 *
 * <p>Entry point: {@link dev.llmops.guardrails.tool.ToolCallGuard} (an output guard named {@code tool-calls} over
 * {@link dev.llmops.core.guard.OutputContext#toolCalls()}), configured with one
 * {@link dev.llmops.guardrails.tool.ToolPolicy} per allowed tool, a {@link dev.llmops.guardrails.tool.ToolApprover}
 * for dangerous tools and a {@link dev.llmops.guardrails.tool.ToolDecisionLog} that receives a
 * {@link dev.llmops.guardrails.tool.ToolDecision} per call ({@link dev.llmops.guardrails.tool.InMemoryToolDecisionLog}
 * keeps the latest in memory).
 */
@NullMarked
package dev.llmops.guardrails.tool;

import org.jspecify.annotations.NullMarked;
