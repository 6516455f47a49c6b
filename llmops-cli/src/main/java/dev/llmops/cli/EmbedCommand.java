package dev.llmops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import dev.llmops.inference.OverflowPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmops embed}: JSON Lines of texts in, JSON Lines of vectors out, with a local ONNX model. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
        "Embed the texts of a JSON Lines file with a local ONNX model.",
        "Each input line {\"id\": ..., \"text\": \"...\"} gives one output line {\"id\": ..., \"vector\": [...], "
            + "\"tokens\": N, \"chunks\": K, \"handling\": \"whole|truncated|chunked\"}, in input order.",
        "A bad row is reported on standard error as {\"line\": N, \"id\": ..., \"error\": \"...\"} and skipped; "
            + "the command then exits with 1 after writing every other row."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:every row was embedded",
        "1:some rows were bad (the others were written), or the run failed and will fail again",
        "2:bad arguments",
        "3:failed in a way that may pass if run again"})
final class EmbedCommand extends TextRowsCommand {

  @Option(names = "--model", required = true, paramLabel = "NAME|DIR", description = MODEL_DESCRIPTION)
  String model = "";

  @Option(names = "--overflow", paramLabel = "chunk|truncate|fail", defaultValue = "chunk",
      converter = OverflowConverter.class,
      description = "A text longer than the model's window is split into overlapping windows whose vectors are "
          + "averaged (chunk, the default), cut to its first window (truncate), or reported as a bad row (fail).")
  OverflowPolicy overflow = OverflowPolicy.CHUNK;

  @Override
  String verb() {
    return "embedding";
  }

  @Override
  RowModel load() {
    ModelSource source = ModelSource.of(model);
    OnnxEmbeddingModel model = OnnxEmbeddingModel.builder().source(source).batching(BATCHING).overflow(overflow)
        .build();
    return new RowModel() {
      @Override
      public List<ObjectNode> process(List<String> texts) {
        EmbeddingResult result = model.embedAll(texts);
        List<ObjectNode> rows = new ArrayList<>(result.size());
        for (Embedding e : result.embeddings()) {
          ObjectNode row = JSON.createObjectNode();
          ArrayNode vector = row.putArray("vector");
          for (int d = 0; d < e.dimension(); d++) {
            vector.add(e.component(d));
          }
          row.put("tokens", e.tokenCount());
          row.put("chunks", model.windowCount(e));
          row.put("handling", e.handling().name().toLowerCase(Locale.ROOT));
          rows.add(row);
        }
        return rows;
      }

      @Override
      public void close() {
        model.close();
      }
    };
  }


}
