/**
 * Fakes and assertions for testing code that uses llmops, without a hosted model.
 *
 * <ul>
 *   <li>{@link dev.llmops.test.ScriptedChatModel} – a {@link dev.llmops.core.chat.ChatModel} that answers
 *       from a script (ordered replies, rules, injected failures and latency) and records every request;</li>
 *   <li>{@link dev.llmops.test.DeterministicEmbeddingModel} – same text, same vector; texts that share words
 *       get close vectors;</li>
 *   <li>{@link dev.llmops.test.FakeClock} – a {@link java.time.Clock} and {@link dev.llmops.core.Ticker} that
 *       moves only when told to;</li>
 *   <li>{@link dev.llmops.test.FakeOpenAiServer} – a real HTTP server on loopback that speaks the OpenAI
 *       protocol and answers with any chat or embedding model, for testing HTTP clients end to end;</li>
 *   <li>{@link dev.llmops.test.PromptFixtures} – the in-memory prompt store and ready-made registries;</li>
 *   <li>{@link dev.llmops.test.LlmOpsAssertions} – {@code assertThat(response).hasFinishReason(STOP)...}.</li>
 * </ul>
 */
@NullMarked
package dev.llmops.test;

import org.jspecify.annotations.NullMarked;
