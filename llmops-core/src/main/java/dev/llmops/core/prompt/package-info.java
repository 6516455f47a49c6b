/**
 * Prompt management: immutable, numbered versions; labels that move with a recorded history, roll back in one
 * call and can split traffic between versions deterministically; Mustache rendering that names every missing
 * variable; stores in memory, in a directory and in PostgreSQL; a coherent cache.
 *
 * <p>Entry point: {@link dev.llmops.core.prompt.PromptRegistry#builder(PromptStore)}, with a store from
 * {@link dev.llmops.core.prompt.PromptStore#inMemory()}, {@link dev.llmops.core.prompt.PromptStore#directory(java.nio.file.Path)}
 * or {@link dev.llmops.core.prompt.PromptStore#jdbc(javax.sql.DataSource)} (PostgreSQL), optionally behind
 * {@link dev.llmops.core.prompt.PromptStore#cached(PromptStore, CacheSettings)}.
 *
 * <pre>{@code
 * PromptRegistry prompts = PromptRegistry.builder(PromptStore.directory(Path.of("prompts"))).build();
 * PromptVersion v1 = prompts.create(PromptDraft.builder("support-answer")
 *     .chat(MessageTemplate.system("You answer for {{company}}."), MessageTemplate.user("{{question}}"))
 *     .author("ana").message("first version").build());
 * prompts.moveLabel("support-answer", "production", v1.version(), "ana", "launch");
 * ResolvedPrompt chosen = prompts.resolve("support-answer", "production", userId);   // name@version for lineage
 * RenderedPrompt rendered = prompts.render(chosen.version(), Map.of("company", "Acme", "question", q));
 * ChatRequest request = rendered.toChatRequest();
 * }</pre>
 */
@NullMarked
package dev.llmops.core.prompt;

import org.jspecify.annotations.NullMarked;
