/**
 * A client for any server that speaks the OpenAI chat-completions and embeddings protocol: OpenAI, Azure
 * OpenAI, vLLM, Ollama, Hugging Face TGI, LiteLLM and others.
 *
 * <p>Entry point: {@link dev.llmops.core.openai.OpenAiClient#builder()}. One client holds the connection
 * settings and a connection pool; {@link dev.llmops.core.openai.OpenAiClient#chatModel(String)} and
 * {@link dev.llmops.core.openai.OpenAiClient#embeddingModel(String)} give the
 * {@link dev.llmops.core.chat.ChatModel} and {@link dev.llmops.core.embedding.EmbeddingModel} for a model id.
 * HTTP errors become the exceptions of {@link dev.llmops.core}: 429 is a
 * {@link dev.llmops.core.RateLimitedException} carrying {@code Retry-After}, a stream that stalls is a
 * {@link dev.llmops.core.RequestTimeoutException}, a dropped connection an
 * {@link dev.llmops.core.UnavailableException}.
 */
@NullMarked
package dev.llmops.core.openai;

import org.jspecify.annotations.NullMarked;
