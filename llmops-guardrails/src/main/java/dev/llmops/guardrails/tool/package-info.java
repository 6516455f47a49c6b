/** Tool calls: allow-lists, argument validation against each tool's JSON Schema, rate and budget limits and approval for dangerous tools. */
@NullMarked
package dev.llmops.guardrails.tool;

import org.jspecify.annotations.NullMarked;
