/**
 * Local ONNX Runtime inference for llmops: embedding, classifier and cross-encoder models with dynamic batching,
 * and int8/fp16 conversion of ONNX models. They implement the contracts of {@code dev.llmops.core}.
 */
@org.jspecify.annotations.NullMarked
module dev.llmops.inference {
  requires transitive dev.llmops.core;
  requires static transitive org.jspecify;
  requires com.microsoft.onnxruntime;
  requires ai.djl.tokenizers;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.llmops.inference;
}
