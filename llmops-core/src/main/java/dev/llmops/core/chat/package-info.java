/**
 * Chat completion: the {@link dev.llmops.core.chat.ChatModel} contract every chat back end implements
 * (remote OpenAI-compatible servers, local ONNX decoders, the test kit's scripted model).
 *
 * <p>Build a {@link dev.llmops.core.chat.ChatRequest} with {@link dev.llmops.core.chat.ChatRequest#builder()},
 * call {@link dev.llmops.core.chat.ChatModel#chat(ChatRequest)} for a whole answer or
 * {@link dev.llmops.core.chat.ChatModel#stream(ChatRequest, StreamListener)} to receive tokens as they are
 * produced. Both return a {@link dev.llmops.core.chat.ChatResponse} with the text, the tool calls, the
 * {@link dev.llmops.core.chat.FinishReason}, {@link dev.llmops.core.chat.TokenUsage} and the latency.
 */
@NullMarked
package dev.llmops.core.chat;

import org.jspecify.annotations.NullMarked;
