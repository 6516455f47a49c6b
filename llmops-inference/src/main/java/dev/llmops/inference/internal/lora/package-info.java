/**
 * LoRA adapters for ONNX Runtime, written and checked from Java: ONNX Runtime's adapter file format
 * ({@link dev.llmops.inference.internal.lora.AdapterFiles} reads and writes an
 * {@link dev.llmops.inference.internal.lora.AdapterFile}), the check that an adapter fits a model
 * ({@link dev.llmops.inference.internal.lora.AdapterCheck}), and LoRA slots for graphs built in Java
 * ({@link dev.llmops.inference.internal.lora.LoraGraphs}).
 *
 * <pre>{@code
 * AdapterFiles.write(AdapterFile.of(AdapterParameter.ofFloats("proj.lora_A", new long[] {4, 2}, a),
 *     AdapterParameter.ofFloats("proj.lora_B", new long[] {2, 3}, b)), file);
 * AdapterFile adapter = AdapterFiles.read(file);
 * AdapterCheck.check(adapter, file.toString(), session);
 * try (OrtLoraAdapter loaded = OrtLoraAdapter.create(Files.readAllBytes(file));
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
