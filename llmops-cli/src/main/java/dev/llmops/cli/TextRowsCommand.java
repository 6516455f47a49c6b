package dev.llmops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.Ticker;
import dev.llmops.inference.BatchingSettings;
import dev.llmops.inference.OverflowPolicy;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code llmops embed} and {@code llmops classify} share: JSON Lines rows {@code {"id": ..., "text": ...}} in,
 * one JSON Lines row per good input row out, in input order, streamed in groups of {@code --batch} texts.
 *
 * <p>A bad row (not UTF-8, not JSON, no id, no text, a text the model refuses) does not stop the run: it is
 * reported on standard error as {@code {"line": N, "id": ..., "error": "..."}}, left out of the output, and the
 * command exits with {@value ExitCodes#FAILED} at the end. Anything else (the model cannot be loaded, the input
 * cannot be read) stops the run and maps to an exit status as every llmops command does; an output file is then
 * left as it was.
 */
abstract class TextRowsCommand implements Callable<Integer> {

  /** Rows keep their ids exactly: no trailing tokens accepted, decimal ids not rounded through a double. */
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  /** The longest input line kept; longer ones are reported as bad rows (models refuse 100,000+ chars anyway). */
  static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  /**
   * One caller sending one group at a time: the queue only has to hold a group's windows (64 texts of 100,000
   * chars can be tens of thousands of windows), and a slow machine must not turn a large group into a retriable
   * timeout.
   */
  static final BatchingSettings BATCHING = BatchingSettings.defaults().toBuilder()
      .queueCapacity(1 << 20).requestTimeout(Duration.ofHours(1)).build();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  // --in and --out are required, but checked in call(): picocli would also demand them of `llmops guard
  // train-injection`, a subcommand of a row command.
  @Option(names = "--in", paramLabel = "FILE",
      description = "Required: JSON Lines input, one {\"id\": ..., \"text\": \"...\"} per line; '-' for standard input.")
  String in = "";

  @Option(names = "--out", paramLabel = "FILE",
      description = "Required: JSON Lines output, one row per good input row in input order; '-' for standard output. "
          + "A file is replaced only when the run completes.")
  String out = "";

  @Option(names = "--batch", paramLabel = "N", defaultValue = "64",
      description = "Texts read and sent to the model per call (default: ${DEFAULT-VALUE}); bounds memory use.")
  int batch;

  @Option(names = "--progress", negatable = true,
      description = "Show a progress line on standard error; by default only when it is a terminal.")
  @Nullable Boolean progress;

  /** What the progress line says is being done, such as {@code embedding}. */
  abstract String verb();

  /** Whether an empty or blank text is a row to process rather than a bad row; false unless overridden. */
  boolean acceptsBlankText() {
    return false;
  }

  /** Checks the command's own options; throws {@link CommandLine.ParameterException} for bad values. */
  void checkOptions() {}

  /** The {@code --model} option of commands that run a local ONNX model. */
  static final String MODEL_DESCRIPTION = "A built-in model (all-minilm-l6-v2, all-minilm-l6-v2-q) or a model "
      + "directory (model.onnx, tokenizer.json, optionally config.json and llmops-model.json).";

  /** Loads the model (or whatever turns texts into output rows). */
  abstract RowModel load();

  /** A loaded model that turns texts into the fields of their output rows. */
  interface RowModel extends AutoCloseable {
    /**
     * One object per text, in order, without the id.
     *
     * @throws InvalidRequestException when the model refuses a text (the message names its index)
     */
    List<ObjectNode> process(List<String> texts);

    @Override
    void close();
  }

  /** An input row in line order: a text to run, or why there is none. */
  private record Row(long line, @Nullable JsonNode id, @Nullable String text, @Nullable String error) {
    static Row good(long line, JsonNode id, String text) {
      return new Row(line, id, text, null);
    }

    static Row bad(long line, @Nullable JsonNode id, String error) {
      return new Row(line, id, null, error);
    }
  }

  @Override
  public final Integer call() throws IOException {
    List<String> missing = new ArrayList<>();
    if (in.isEmpty()) {
      missing.add("'--in=FILE'");
    }
    if (out.isEmpty()) {
      missing.add("'--out=FILE'");
    }
    if (!missing.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "Missing required option" + (missing.size() > 1 ? "s: " : ": ") + String.join(", ", missing));
    }
    if (batch < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1 but was " + batch);
    }
    checkOptions();
    Path input = "-".equals(in) ? null : Path.of(in);
    if (input != null && !Files.isRegularFile(input)) {
      throw new NotFoundException(Files.isDirectory(input)
          ? "input " + input + " is a directory, not a JSON Lines file"
          : "input file " + input + " does not exist");
    }
    if (!"-".equals(out) && Files.isDirectory(Path.of(out))) {
      throw new InvalidRequestException("output " + Path.of(out).toAbsolutePath() + " is a directory; --out takes a "
          + "file or '-'");
    }
    boolean showProgress = progress != null ? progress : Progress.stderrIsProbablyATerminal();
    long total = showProgress && input != null ? LineReader.countRows(input) : -1;
    try (InputStream stream = input == null ? unclosable(System.in) : Files.newInputStream(input);
        RowModel rowModel = load();
        Output output = Output.open(out, spec.commandLine().getOut());
        // Started once the model is loaded, so the rate is the model's, not the start-up's; closed before an error
        // is printed, so the error starts on a line of its own.
        Progress status = showProgress ? Progress.on(spec.commandLine().getErr(), verb(), total, Ticker.system())
            : Progress.off(spec.commandLine().getErr())) {
      long failed = copy(new LineReader(stream, MAX_LINE_BYTES), rowModel, output, status);
      output.commit();
      status.finish();
      if (failed > 0) {
        status.println(String.format(Locale.ROOT, "llmops: %,d of %,d rows failed (see the error lines above); "
            + "the other rows were written", failed, status.count()));
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }

  /**
   * Streams the rows through the model in groups of {@code --batch} rows (bad ones included, so a file of bad rows
   * does not pile up in memory either); returns the number of bad rows.
   */
  private long copy(LineReader reader, RowModel rowModel, Output output, Progress status) throws IOException {
    long failed = 0;
    List<Row> group = new ArrayList<>(batch);
    for (LineReader.Line line; (line = reader.next()) != null; ) {
      if (line instanceof LineReader.Text t && t.text().isBlank()) {
        continue; // blank lines are not rows
      }
      group.add(parse(line, acceptsBlankText()));
      if (group.size() == batch) {
        failed += process(group, rowModel, output, status);
        group.clear();
      }
    }
    if (!group.isEmpty()) {
      failed += process(group, rowModel, output, status);
    }
    return failed;
  }

  private static Row parse(LineReader.Line line, boolean acceptsBlank) {
    if (line instanceof LineReader.Unreadable u) {
      return Row.bad(line.number(), null, u.problem());
    }
    JsonNode node;
    try {
      node = JSON.readTree(((LineReader.Text) line).text());
    } catch (JsonProcessingException e) {
      return Row.bad(line.number(), null, "not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return Row.bad(line.number(), null, "not a JSON object; each line must be {\"id\": ..., \"text\": \"...\"}");
    }
    JsonNode id = node.get("id");
    if (id == null || !(id.isTextual() || id.isNumber())) {
      return Row.bad(line.number(), id, "\"id\" must be a string or a number");
    }
    JsonNode value = node.get("text");
    if (value == null || !value.isTextual()) {
      return Row.bad(line.number(), id, "\"text\" must be a string");
    }
    if (value.asText().isBlank() && !acceptsBlank) {
      return Row.bad(line.number(), id, "\"text\" is " + (value.asText().isEmpty() ? "empty" : "blank"));
    }
    return Row.good(line.number(), id, value.asText());
  }

  /**
   * Runs one group and writes its rows and errors in line order. When the model refuses the group's texts because
   * of one of them, they are run one at a time to find the bad ones, so every other row still gets through.
   * Returns the number of bad rows.
   */
  private long process(List<Row> group, RowModel rowModel, Output output, Progress status) throws IOException {
    List<String> texts = new ArrayList<>(group.size());
    for (Row row : group) {
      if (row.text() != null) {
        texts.add(row.text());
      }
    }
    List<ObjectNode> results = null;
    if (!texts.isEmpty()) {
      try {
        results = rowModel.process(texts);
      } catch (InvalidRequestException groupRefused) {
        // found below, row by row
      }
    }
    long failed = 0;
    int next = 0;
    Writer writer = output.writer();
    for (Row row : group) {
      String text = row.text();
      if (text == null) {
        report(status, row.line(), row.id(), row.error());
        failed++;
        continue;
      }
      ObjectNode result;
      if (results != null) {
        result = results.get(next++);
      } else {
        try {
          result = rowModel.process(List.of(text)).get(0);
        } catch (InvalidRequestException e) {
          report(status, row.line(), row.id(), forOneText(e.getMessage()));
          failed++;
          continue;
        }
      }
      ObjectNode line = JSON.createObjectNode();
      line.set("id", row.id());
      line.setAll(result);
      writer.write(JSON.writeValueAsString(line));
      writer.write('\n');
    }
    output.flush();
    status.advance(group.size());
    return failed;
  }

  /** The model names a text of a one-text call "texts[0]"; here it is just "text". */
  private static String forOneText(@Nullable String message) {
    if (message == null) {
      return "the model refused the text";
    }
    return message.startsWith("texts[0] ") ? "text " + message.substring("texts[0] ".length()) : message;
  }

  private static void report(Progress status, long line, @Nullable JsonNode id, @Nullable String error) {
    ObjectNode node = JSON.createObjectNode().put("line", line);
    node.set("id", id == null ? NullNode.getInstance() : id);
    node.put("error", error);
    status.println(node.toString());
  }

  private static InputStream unclosable(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {
        // standard input belongs to the process, not to this command
      }
    };
  }

  /** Parses {@code chunk}, {@code truncate} or {@code fail} (any case) into an {@link OverflowPolicy}. */
  static final class OverflowConverter implements CommandLine.ITypeConverter<OverflowPolicy> {
    @Override
    public OverflowPolicy convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "chunk" -> OverflowPolicy.CHUNK;
        case "truncate" -> OverflowPolicy.TRUNCATE;
        case "fail" -> OverflowPolicy.FAIL;
        default -> throw new CommandLine.TypeConversionException("expected chunk, truncate or fail but was '" + value + "'");
      };
    }
  }
}
