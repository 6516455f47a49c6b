/**
 * A small, exact codec for ONNX model files ({@code onnx.proto}), written by hand on protobuf-java's wire-format
 * classes, and the editing helpers the quantizer and the fp16 converter use.
 *
 * <p>{@link dev.llmops.inference.internal.onnx.OnnxFiles} reads and writes an {@link
 * dev.llmops.inference.internal.onnx.OnnxModel}. The model is a tree of immutable records that model the fields the
 * editors need (graph, nodes, initializers, inputs, outputs, value_info, opset imports, tensor types); every other
 * field is kept as the raw bytes it was read from ({@link dev.llmops.inference.internal.onnx.RawFields}) and written
 * back in field-number order, so an unedited model is written back byte for byte. {@link
 * dev.llmops.inference.internal.onnx.GraphBuilder} creates nodes, tensors and whole models.
 *
 * <p>Not an API: nothing here is exported from the module.
 */
@NullMarked
package dev.llmops.inference.internal.onnx;

import org.jspecify.annotations.NullMarked;
