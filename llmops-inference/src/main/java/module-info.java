/** Local ONNX Runtime inference for llmops: embedding, classifier, cross-encoder and decoder models with dynamic batching; they implement the contracts of {@code dev.llmops.core}. The engine arrives with the inference issue; until then this module fixes its coordinates and module name, and exports no package so applications and the BOM can depend on it. */
@org.jspecify.annotations.NullMarked
module dev.llmops.inference {
  requires transitive dev.llmops.core;
  requires static transitive org.jspecify;
}
