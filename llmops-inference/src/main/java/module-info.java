/** Local ONNX Runtime inference for llmops: embedding, classifier, cross-encoder and decoder models with dynamic batching; they implement the contracts of {@code dev.llmops.core}. Exported so far: {@code dev.llmops.inference.quantize}, which writes int8 and fp16 variants of an ONNX model and checks them against the original. */
@org.jspecify.annotations.NullMarked
// ONNX Runtime and protobuf-java ship no module descriptor, only an Automatic-Module-Name; their names are stable.
@SuppressWarnings("requires-automatic")
module dev.llmops.inference {
  requires transitive dev.llmops.core;
  requires static transitive org.jspecify;
  requires com.microsoft.onnxruntime;
  requires com.google.protobuf;

  exports dev.llmops.inference.quantize;
}
