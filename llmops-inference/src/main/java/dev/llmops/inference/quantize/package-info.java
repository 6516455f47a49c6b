/**
 * Smaller and faster copies of ONNX models, checked against the original before they are written.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link dev.llmops.inference.quantize.ModelQuantizer#int8Dynamic()} – int8 weights for CPU inference with ONNX
 *       Runtime (about a quarter of the size);</li>
 *   <li>{@link dev.llmops.inference.quantize.Fp16Converter#convert} – float16 weights and activations for GPUs (about
 *       half the size), with float32 inputs and outputs;</li>
 *   <li>{@link dev.llmops.inference.quantize.AgreementCheck} – how a rewritten model is compared with the original;
 *       {@link dev.llmops.inference.quantize.AgreementCheck#syntheticEncoderInputs} needs no tokenizer.</li>
 * </ul>
 *
 * <p>Both rewrites write their output only if the check passes: into a temporary file in the output directory, which
 * is checked, forced to disk and renamed into place. A failed check throws
 * {@link dev.llmops.inference.quantize.AgreementFailedException} with the measured numbers and leaves nothing behind.
 */
@NullMarked
package dev.llmops.inference.quantize;

import org.jspecify.annotations.NullMarked;
