package dev.llmops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.classify.Classification;
import dev.llmops.core.classify.LabelScore;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxTextClassifier;
import dev.llmops.inference.OverflowPolicy;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmops classify}: JSON Lines of texts in, JSON Lines of labels and scores out, with a local ONNX model. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    description = {
        "Classify the texts of a JSON Lines file with a local ONNX sequence classifier "
            + "(a Hugging Face ...ForSequenceClassification export).",
        "Each input line {\"id\": ..., \"text\": \"...\"} gives one output line {\"id\": ..., \"label\": \"...\", "
            + "\"score\": s, \"scores\": {\"label\": s, ...}}, labels best first, in input order.",
        "A bad row is reported on standard error as {\"line\": N, \"id\": ..., \"error\": \"...\"} and skipped; "
            + "the command then exits with 1 after writing every other row."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:every row was classified",
        "1:some rows were bad (the others were written), or the run failed and will fail again",
        "2:bad arguments",
        "3:failed in a way that may pass if run again"})
final class ClassifyCommand extends TextRowsCommand {

  @Option(names = "--model", required = true, paramLabel = "NAME|DIR", description = MODEL_DESCRIPTION)
  String model = "";

  @Option(names = "--top", paramLabel = "K",
      description = "Keep only the K best labels in \"scores\" (default: all labels).")
  @Nullable Integer top;

  @Option(names = "--overflow", paramLabel = "chunk|truncate|fail", defaultValue = "truncate",
      converter = OverflowConverter.class,
      description = "A text longer than the model's window is cut to its first window (truncate, the default), "
          + "classified window by window with each label scoring as its strongest window (chunk), or reported as a "
          + "bad row (fail).")
  OverflowPolicy overflow = OverflowPolicy.TRUNCATE;

  @Override
  String verb() {
    return "classifying";
  }

  @Override
  void checkOptions() {
    if (top != null && top < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--top must be at least 1 but was " + top);
    }
  }

  @Override
  RowModel load() {
    ModelSource source = ModelSource.of(model);
    OnnxTextClassifier classifier;
    try {
      classifier = OnnxTextClassifier.builder().source(source).batching(BATCHING).overflow(overflow)
          .build();
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException("'" + model + "' is not a sequence classifier llmops can run: "
          + e.getMessage(), e);
    }
    int keep = top == null ? Integer.MAX_VALUE : top;
    return new RowModel() {
      @Override
      public List<ObjectNode> process(List<String> texts) {
        List<Classification> results = classifier.classifyAll(texts);
        List<ObjectNode> rows = new ArrayList<>(results.size());
        for (Classification c : results) {
          ObjectNode row = JSON.createObjectNode().put("label", c.top().label()).put("score", c.top().score());
          ObjectNode scores = row.putObject("scores");
          for (LabelScore s : c.scores().subList(0, Math.min(keep, c.scores().size()))) {
            scores.put(s.label(), s.score());
          }
          rows.add(row);
        }
        return rows;
      }

      @Override
      public void close() {
        classifier.close();
      }
    };
  }
}
