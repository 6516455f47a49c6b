/**
 * Local text generation: decoder-only language models exported to ONNX (Hugging Face Optimum's
 * text-generation-with-past layout) served as a core {@code ChatModel}, with a paged key/value cache, continuous
 * batching, sampling, streaming, chat templates and LoRA adapters chosen per request.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link dev.llmops.inference.generate.OnnxChatModel#builder()}: the model; {@code chat} / {@code stream} for
 *       conversations, {@code generate} for raw prompts and token ids.
 *   <li>{@link dev.llmops.inference.generate.SamplingParameters}: greedy, temperature, top-k, top-p, penalties,
 *       seed, stop sequences and tokens, answer length.
 *   <li>{@link dev.llmops.inference.generate.SchedulerSettings}: continuous or static batching, batch size, the
 *       cache's memory cap and block size, prefill chunks.
 *   <li>{@link dev.llmops.inference.generate.SyntheticDecoder}: writes a small random-weight model of the layout, for
 *       tests and benchmarks.
 * </ul>
 *
 * <pre>{@code
 * try (OnnxChatModel model = OnnxChatModel.builder().directory(Path.of("models/qwen2.5-0.5b-instruct")).build()) {
 *   ChatResponse answer = model.stream(ChatRequest.of("Say hello"), System.out::print);
 * }
 * }</pre>
 */
@NullMarked
package dev.llmops.inference.generate;

import org.jspecify.annotations.NullMarked;
