package dev.llmops.inference.internal.onnx;

/** A message that writes itself field by field into a {@link WireSink}, which either counts bytes or writes them. */
interface WireMessage {

  /** Emits every field of this message, modeled and raw, in field-number order. */
  void emit(WireSink sink);
}
