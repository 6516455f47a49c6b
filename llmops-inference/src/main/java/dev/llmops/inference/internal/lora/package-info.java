/**
 * LoRA adapters for ONNX Runtime, written and checked from Java: ONNX Runtime's adapter file format
 * ({@link dev.llmops.inference.internal.lora.AdapterFiles} reads and writes an
 * {@link dev.llmops.inference.internal.lora.AdapterFile}), the check that an adapter fits a model
 * ({@link dev.llmops.inference.internal.lora.AdapterCheck}), and LoRA slots for graphs built in Java
 * ({@link dev.llmops.inference.internal.lora.LoraGraphs}), and loading an adapter into ONNX Runtime only after both
 * checks ({@link dev.llmops.inference.internal.lora.OrtAdapters}, the entry point for the engine).
 *
 * <pre>{@code
 * AdapterFiles.write(AdapterFile.of(AdapterParameter.ofFloats("proj.lora_A", new long[] {4, 2}, a),
 *     AdapterParameter.ofFloats("proj.lora_B", new long[] {2, 3}, b)), file);
 * OnnxGraph graph = OnnxFiles.read(modelFile).graph();
 * try (OrtLoraAdapter loaded = OrtAdapters.load(file, graph);
 *     OrtSession.RunOptions options = new OrtSession.RunOptions()) {
 *   options.addActiveLoraAdapter(loaded);
 *   try (OrtSession.Result result = session.run(inputs, options)) { ... }
 * }
 * }</pre>
 *
 * <p>Not an API: nothing here is exported from the module.
 */
@NullMarked
package dev.llmops.inference.internal.lora;

import org.jspecify.annotations.NullMarked;
