package dev.llmops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.Ticker;
import dev.llmops.core.retrieval.RetrievalQuery;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.rag.index.Fusion;
import dev.llmops.rag.index.SearchIndex;
import dev.llmops.rag.index.SearchMode;
import dev.llmops.rag.index.SearchRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llmops search}: runs a file of queries against an index and writes a TREC run. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
        "Search an index with the queries of a JSON Lines file ({\"_id\": ..., \"text\": \"...\"} per line, as BEIR "
            + "queries) and write a TREC run: one line 'qid Q0 docid rank score tag' per document, best first; when "
            + "several chunks of a document match, its best chunk ranks it.",
        "A bad query row is reported on standard error as {\"line\": N, \"id\": ..., \"error\": \"...\"} and skipped."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:every query was run",
        "1:some query rows were bad (the others were written), or the run failed and will fail again",
        "2:bad arguments",
        "3:failed in a way that may pass if run again"})
final class SearchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin IndexOptions options = new IndexOptions();

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "Queries in JSON Lines; '-' for stdin.")
  String in = "";

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "The TREC run; '-' for standard output. A file is replaced only when the run completes.")
  String out = "";

  @Option(names = "--k", paramLabel = "N", defaultValue = "10", description = "Documents per query (default: 10).")
  int k;

  @Option(names = "--mode", paramLabel = "bm25|dense|hybrid", defaultValue = "hybrid",
      description = "How to match (default: ${DEFAULT-VALUE}; bm25 for an index built with --model none).")
  String mode = "hybrid";

  @Option(names = "--fusion", paramLabel = "rrf[:K]|convex:W", defaultValue = "rrf:60",
      description = "How hybrid merges the lists: reciprocal rank with constant K, or a convex combination with "
          + "dense weight W in [0, 1] (default: ${DEFAULT-VALUE}).")
  String fusion = "rrf:60";

  @Option(names = "--candidates", paramLabel = "N", defaultValue = "0",
      description = "Chunks each mode contributes before fusion (default: the larger of 100 and 3 x --k).")
  int candidates;

  @Option(names = "--tag", paramLabel = "NAME", description = "The run tag, the last column (default: llmops-MODE).")
  @Nullable String tag;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Search as this tenant.")
  @Nullable String tenant;

  @Option(names = "--groups", paramLabel = "G1,G2", split = ",", description = "Search as a member of these groups.")
  List<String> groups = new ArrayList<>();

  @Option(names = "--snapshot", paramLabel = "ID", description = "Search this snapshot instead of the current one.")
  @Nullable String snapshot;

  @Option(names = "--progress", negatable = true,
      description = "Show a progress line on standard error; by default only when it is a terminal.")
  @Nullable Boolean progress;

  @Override
  public Integer call() throws IOException {
    if (k < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--k must be at least 1 but was " + k);
    }
    SearchMode searchMode = parseMode();
    Fusion parsedFusion = parseFusion();
    String runTag = tag != null ? tag : "llmops-" + searchMode.name().toLowerCase(Locale.ROOT);
    if (runTag.isBlank() || runTag.chars().anyMatch(Character::isWhitespace)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--tag must be one word but was '" + runTag + "'");
    }
    Path input = "-".equals(in) ? null : Path.of(in);
    if (input != null && !Files.isRegularFile(input)) {
      throw new NotFoundException("query file " + input.toAbsolutePath() + " does not exist or is not a file");
    }
    Path directory = options.directory();
    if (directory != null && !Files.isDirectory(directory)) {
      throw new NotFoundException("index " + directory.toAbsolutePath() + " does not exist; build it with "
          + "'llmops index'");
    }
    PrintWriter err = spec.commandLine().getErr();
    boolean showProgress = progress != null ? progress : Progress.stderrIsProbablyATerminal();
    long total = showProgress && input != null ? LineReader.countRows(input) : -1;
    long bad = 0;
    try (InputStream stream = input == null ? System.in : Files.newInputStream(input);
        IndexOptions.Opened<SearchIndex> opened = options.openReadOnly();
        Output output = Output.open(out, spec.commandLine().getOut());
        Progress status = showProgress ? Progress.on(err, "searching", "queries", total, Ticker.system())
            : Progress.off(err)) {
      if (opened.index().currentSnapshot().isEmpty()) {
        throw new NotFoundException(options.describe() + " holds no snapshot; build it with 'llmops index'");
      }
      Writer writer = output.writer();
      LineReader reader = new LineReader(stream, TextRowsCommand.MAX_LINE_BYTES);
      for (LineReader.Line line; (line = reader.next()) != null; ) {
        if (line instanceof LineReader.Text t && t.text().isBlank()) {
          continue;
        }
        String error = null;
        JsonNode id = null;
        if (line instanceof LineReader.Unreadable u) {
          error = u.problem();
        } else {
          try {
            JsonNode node = TextRowsCommand.JSON.readTree(((LineReader.Text) line).text());
            id = node == null ? null : node.get("_id");
            JsonNode text = node == null ? null : node.get("text");
            if (id == null || !(id.isTextual() || id.isNumber()) || id.asText().isBlank()
                || id.asText().chars().anyMatch(Character::isWhitespace)) {
              error = "\"_id\" must be a string or number without spaces";
            } else if (text == null || !text.isTextual() || text.asText().isBlank()) {
              error = "\"text\" must be a non-empty string";
            } else {
              RetrievalQuery query = RetrievalQuery.builder(text.asText()).topK(k).tenant(tenant)
                  .groups(groups.toArray(String[]::new)).snapshot(snapshot).build();
              SearchRequest request = SearchRequest.builder(query).mode(searchMode).fusion(parsedFusion)
                  .candidates(candidates).onePerDocument(true).build();
              List<RetrievedChunk> hits;
              try {
                hits = opened.index().search(request);
              } catch (InvalidRequestException e) {
                hits = null;
                error = e.getMessage();
              }
              if (hits != null) {
                int rank = 1;
                for (RetrievedChunk h : hits) {
                  writer.write(id.asText() + " Q0 " + h.citation().documentId() + " " + rank++ + " "
                      + String.format(Locale.ROOT, "%.6f", h.score()) + " " + runTag + "\n");
                }
              }
            }
          } catch (JsonProcessingException e) {
            error = "not valid JSON: " + e.getOriginalMessage();
          }
        }
        if (error != null) {
          bad++;
          ObjectNode report = TextRowsCommand.JSON.createObjectNode();
          report.put("line", line.number());
          if (id != null) {
            report.set("id", id);
          }
          report.put("error", error);
          status.println(report.toString());
        }
        status.advance(1);
      }
      output.commit();
      status.finish();
      if (bad > 0) {
        status.println(String.format(Locale.ROOT, "llmops: %,d query rows failed (see above); the others were run",
            bad));
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }

  private SearchMode parseMode() {
    try {
      return SearchMode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--mode must be bm25, dense or hybrid but was '" + mode + "'");
    }
  }

  private Fusion parseFusion() {
    String[] parts = fusion.split(":", 2);
    try {
      return switch (parts[0]) {
        case "rrf" -> parts.length == 1 ? Fusion.reciprocalRank() : Fusion.reciprocalRank(Integer.parseInt(parts[1]));
        case "convex" -> Fusion.convex(Double.parseDouble(parts[1]));
        default -> throw new IllegalArgumentException("unknown fusion");
      };
    } catch (RuntimeException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--fusion must be rrf, rrf:K or convex:W (W in [0, 1]) but was '" + fusion + "'");
    }
  }
}
