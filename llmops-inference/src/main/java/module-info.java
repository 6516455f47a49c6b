/**
 * Local ONNX Runtime inference for llmops: embedding, classifier and cross-encoder models with dynamic batching
 * ({@code dev.llmops.inference}), decoder models that generate text with continuous batching and LoRA adapters
 * ({@code dev.llmops.inference.generate}, entry point {@code OnnxChatModel}), and int8 and fp16 variants of ONNX
 * models checked against the original ({@code dev.llmops.inference.quantize}). The models implement the contracts of {@code dev.llmops.core}.
 */
@org.jspecify.annotations.NullMarked
// ONNX Runtime, DJL's tokenizers and protobuf-java ship no module descriptor, only an Automatic-Module-Name; their
// names are stable.
@SuppressWarnings("requires-automatic")
module dev.llmops.inference {
  requires transitive dev.llmops.core;
  requires static transitive org.jspecify;
  requires com.microsoft.onnxruntime;
  requires ai.djl.tokenizers;
  requires com.google.protobuf;
  requires jinjava;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.llmops.inference;
  exports dev.llmops.inference.quantize;
  exports dev.llmops.inference.generate;
}
