package dev.llmops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.inference.EmbeddingAgreement;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.quantize.ActivationQuantization;
import dev.llmops.inference.quantize.Agreement;
import dev.llmops.inference.quantize.AgreementCheck;
import dev.llmops.inference.quantize.Fp16Converter;
import dev.llmops.inference.quantize.Fp16Report;
import dev.llmops.inference.quantize.ModelQuantizer;
import dev.llmops.inference.quantize.QuantizationReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmops quantize}: writes an int8 or fp16 copy of an ONNX encoder, only if it agrees with the original. */
@Command(
    name = "quantize",
    mixinStandardHelpOptions = true,
    description = {
        "Writes a smaller copy of an ONNX encoder: int8 weights with activations quantized at run time (CPU), or "
            + "fp16 (GPU). The copy is checked against the original first and written only if it agrees: with "
            + "--sample, both models embed the sample texts and the mean cosine must reach --threshold; without it, "
            + "both run on synthetic token ids and every sample must reach it.",
        "Prints a JSON report: what was converted, sizes and the agreement."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:written",
        "1:not written (the copy did not agree, or the model cannot be read)",
        "2:bad arguments"})
final class QuantizeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "NAME|DIR",
      description = "A built-in model (all-minilm-l6-v2) or a model directory.")
  String model = "";

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ONNX file to write.")
  Path out = Path.of("");

  @Option(names = "--to", defaultValue = "int8", paramLabel = "int8|fp16",
      description = "What to write (default: ${DEFAULT-VALUE}).")
  String to = "int8";

  @Option(names = "--sample", paramLabel = "FILE",
      description = "JSON Lines of {\"text\": ...} (like llmops embed's input) to compare embeddings on.")
  Path sample;

  @Option(names = "--samples", defaultValue = "200", paramLabel = "N",
      description = "Most sample texts used (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--threshold", defaultValue = "0.99", paramLabel = "COSINE",
      description = "The cosine the copy must reach (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--per-tensor",
      description = "int8: quantize activations per tensor (as onnxruntime's quantize_dynamic; faster, but a "
          + "vector then depends on its batch) instead of per token (the default).")
  boolean perTensor;

  @Override
  public Integer call() throws IOException {
    if (!to.equals("int8") && !to.equals("fp16")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--to must be int8 or fp16 but was '" + to + "'");
    }
    if (samples < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--samples must be at least 1 but was " + samples);
    }
    if (!(threshold > -1 && threshold <= 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--threshold must be a cosine in (-1, 1]");
    }
    ModelSource source = ModelSource.of(model);
    AgreementCheck check = sample == null ? AgreementCheck.syntheticEncoderInputs(16, 42, threshold)
        : EmbeddingAgreement.onTexts(source, readSample(sample), threshold);
    Path scratch = Files.createTempDirectory("llmops-quantize");
    try {
      Path input = source.directory().map(d -> d.resolve(source.descriptor().modelFile())).orElse(null);
      if (input == null) {
        input = scratch.resolve(source.id() + ".onnx");
        source.writeModelFile(input);
      }
      ObjectNode report = TextRowsCommand.JSON.createObjectNode();
      report.put("model", source.id());
      report.put("output", out.toAbsolutePath().toString());
      report.put("to", to);
      Agreement agreement;
      if (to.equals("int8")) {
        QuantizationReport r = ModelQuantizer.int8Dynamic()
            .activations(perTensor ? ActivationQuantization.PER_TENSOR : ActivationQuantization.PER_TOKEN)
            .build().quantize(input, out, check);
        report.put("nodes_quantized", r.nodesQuantized());
        report.put("nodes_skipped", r.nodesSkipped());
        report.put("input_bytes", r.inputBytes());
        report.put("output_bytes", r.outputBytes());
        agreement = r.agreement();
      } else {
        Fp16Report r = Fp16Converter.convert(input, out, check);
        report.put("tensors_converted", r.tensorsConverted());
        report.put("input_bytes", r.inputBytes());
        report.put("output_bytes", r.outputBytes());
        agreement = r.agreement();
      }
      ObjectNode a = report.putObject("agreement");
      a.put("mean_cosine", agreement.meanCosine());
      a.put("min_cosine", agreement.minCosine());
      a.put("samples", agreement.samples());
      a.put("threshold", agreement.threshold());
      a.put("criterion", agreement.criterion().name().toLowerCase(Locale.ROOT));
      a.put("check", sample == null ? "synthetic token ids" : "embeddings of " + sample);
      spec.commandLine().getOut().println(TextRowsCommand.JSON.writeValueAsString(report));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    } finally {
      try (var files = Files.list(scratch)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(scratch);
    }
  }

  private List<String> readSample(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NotFoundException("sample file " + file + " does not exist");
    }
    List<String> texts = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line; (line = reader.readLine()) != null && texts.size() < samples; ) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode row;
        try {
          row = TextRowsCommand.JSON.readTree(line);
        } catch (IOException e) {
          throw new InvalidRequestException("sample file " + file + " line " + number + " is not JSON", e);
        }
        JsonNode text = row == null ? null : row.get("text");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
          throw new InvalidRequestException("sample file " + file + " line " + number + " has no \"text\"");
        }
        texts.add(text.asText());
      }
    }
    if (texts.isEmpty()) {
      throw new InvalidRequestException("sample file " + file + " has no texts");
    }
    return texts;
  }
}
