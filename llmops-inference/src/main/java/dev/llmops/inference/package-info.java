/**
 * Local inference with ONNX Runtime: embedding, classifier and cross-encoder models, batched across callers.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link dev.llmops.inference.OnnxEmbeddingModel#builder()}: an {@code EmbeddingModel}; long texts are
 *       split into windows and pooled, never cut silently.
 *   <li>{@link dev.llmops.inference.OnnxTextClassifier#builder()}: a {@code TextClassifier} (sequence
 *       classification with softmax or sigmoid).
 *   <li>{@link dev.llmops.inference.OnnxScoringModel#builder()}: a {@code ScoringModel} (cross-encoder
 *       re-ranking of query/passage pairs).
 *   <li>{@link dev.llmops.inference.ModelSource}: where the files come from (a directory, or the built-in
 *       {@code all-minilm-l6-v2} and {@code all-minilm-l6-v2-q}), with {@link dev.llmops.inference.ModelDescriptor}
 *       for pooling, window, labels and SHA-256 pinning.
 *   <li>{@link dev.llmops.inference.BatchingSettings} and {@link dev.llmops.inference.ExecutionSettings}: the
 *       dynamic batcher and where ONNX Runtime runs (CPU, CUDA, TensorRT with fallback).
 * </ul>
 * Decoder models that generate text (a {@code ChatModel} with continuous batching) are in
 * {@link dev.llmops.inference.generate}. Turning an fp32 model into int8 or fp16 is in {@link dev.llmops.inference.quantize};
 * {@link dev.llmops.inference.EmbeddingAgreement#onTexts} checks such a copy by embedding sample texts with both.
 */
@NullMarked
package dev.llmops.inference;

import org.jspecify.annotations.NullMarked;
