package dev.llmops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.Ticker;
import dev.llmops.rag.document.Document;
import dev.llmops.rag.document.DocumentFailure;
import dev.llmops.rag.document.FolderLoader;
import dev.llmops.rag.document.JsonLinesCorpus;
import dev.llmops.rag.document.LoadResult;
import dev.llmops.rag.index.DocumentIndex;
import dev.llmops.rag.index.IngestListener;
import dev.llmops.rag.index.IngestReport;
import dev.llmops.rag.validate.CorpusValidator;
import dev.llmops.rag.validate.ValidationReport;
import dev.llmops.rag.validate.ValidationThresholds;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code llmops index}: loads a corpus file or a folder into a Lucene or SolrCloud index, incrementally. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
        "Chunk, embed and index documents into a Lucene index (HNSW vectors and BM25), committing a new snapshot; "
            + "with --solr and --collection, into a SolrCloud index instead (each snapshot a new collection behind "
            + "the alias NAME).",
        "--in takes a BEIR corpus (JSON Lines {\"_id\", \"title\", \"text\", \"metadata\"?, \"tenant\"?, \"groups\"?}) "
            + "or a folder of .txt, .md, .html and .pdf files (ids are paths relative to the folder).",
        "Documents whose content did not change since the last run are skipped without being embedded; with "
            + "--refresh, documents of the index missing from the input are deleted.",
        "The summary goes to standard output (JSON with --json); each failed document to standard error as "
            + "{\"id\": ..., \"source\": ..., \"error\": \"...\"}."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:every document was indexed or skipped as unchanged",
        "1:some documents failed (the others were indexed and committed), or the run failed and will fail again",
        "2:bad arguments",
        "3:failed in a way that may pass if run again (the index is as it was, or resumes from its last checkpoint)"})
final class IndexCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin IndexOptions options = new IndexOptions();

  @Option(names = "--in", required = true, paramLabel = "FILE|DIR",
      description = "A corpus in JSON Lines, or a folder of documents.")
  Path in = Path.of(".");

  @Option(names = "--refresh", description = "Make the index hold exactly the input: also delete documents not in it.")
  boolean refresh;

  @Option(names = "--json", description = "Print the summary (and the validation report) as JSON, one object per line.")
  boolean json;

  @Option(names = "--validate",
      description = "Check the corpus first (empty, duplicate and near-duplicate documents, encoding problems, length "
          + "outliers, language mix) and index only if it passes the thresholds; the report goes to standard output.")
  boolean validate;

  @Option(names = "--validate-only", description = "Check the corpus as --validate does, and index nothing.")
  boolean validateOnly;

  @Option(names = "--thresholds", paramLabel = "FILE",
      description = "The validation thresholds as JSON, such as {\"maxNearDuplicateShare\": 0.02, "
          + "\"allowedLanguages\": [\"en\"]}; fields left out keep their defaults.")
  @Nullable Path thresholds;

  @Option(names = "--progress", negatable = true,
      description = "Show a progress line on standard error; by default only when it is a terminal.")
  @Nullable Boolean progress;

  @Override
  public Integer call() throws IOException {
    if (!Files.exists(in)) {
      throw new NotFoundException("input " + in.toAbsolutePath() + " does not exist");
    }
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (validate || validateOnly) {
      ValidationReport validation = validateCorpus();
      out.println(json ? TextRowsCommand.JSON.writeValueAsString(validation) : validation.toText());
      out.flush();
      if (!validation.violations().isEmpty()) {
        for (String violation : validation.violations()) {
          err.println("llmops: validation failed: " + violation);
        }
        err.println("llmops: nothing was indexed");
        err.flush();
        return ExitCodes.FAILED;
      }
      if (validateOnly) {
        return ExitCodes.OK;
      }
    }
    boolean showProgress = progress != null ? progress : Progress.stderrIsProbablyATerminal();
    List<DocumentFailure> loadFailures = new ArrayList<>();
    IngestReport report;
    try (IndexOptions.Opened<DocumentIndex> opened = options.open()) {
      if (Files.isDirectory(in)) {
        LoadResult loaded = FolderLoader.ofDefaults().load(in);
        loadFailures.addAll(loaded.failures());
        report = ingest(opened, loaded.documents(), () -> keep(opened, loaded.failures(), err),
            loaded.documents().size(), showProgress, err);
      } else {
        long total = showProgress ? LineReader.countRows(in) : -1;
        try (JsonLinesCorpus corpus = JsonLinesCorpus.open(in)) {
          report = ingest(opened, corpus, () -> keep(opened, corpus.failures(), err), total, showProgress, err);
          loadFailures.addAll(corpus.failures());
        }
      }
    }
    List<DocumentFailure> failures = new ArrayList<>(loadFailures);
    failures.addAll(report.failures());
    for (DocumentFailure f : failures) {
      ObjectNode line = TextRowsCommand.JSON.createObjectNode();
      line.put("id", f.documentId());
      line.put("source", f.source());
      line.put("error", f.reason());
      err.println(line);
    }
    err.flush();
    if (json) {
      ObjectNode summary = TextRowsCommand.JSON.createObjectNode();
      Path dir = options.directory();
      if (dir != null) {
        summary.put("index", dir.toAbsolutePath().toString());
      } else {
        summary.put("index", options.describe());
      }
      summary.put("snapshot", report.snapshotId());
      summary.put("newSnapshot", report.newSnapshot());
      summary.put("added", report.added());
      summary.put("updated", report.updated());
      summary.put("unchanged", report.unchanged());
      summary.put("deleted", report.deleted());
      summary.put("failed", failures.size());
      summary.put("chunksEmbedded", report.chunksEmbedded());
      summary.put("embeddingSeconds", report.embeddingTime().toMillis() / 1000.0);
      summary.put("totalSeconds", report.totalTime().toMillis() / 1000.0);
      out.println(summary);
    } else {
      out.println(String.format(Locale.ROOT,
          "added %,d, updated %,d, unchanged %,d, deleted %,d, failed %,d; %,d chunks embedded in %.1f s of %.1f s; "
              + "snapshot %s%s",
          report.added(), report.updated(), report.unchanged(), report.deleted(), failures.size(),
          report.chunksEmbedded(), report.embeddingTime().toMillis() / 1000.0, report.totalTime().toMillis() / 1000.0,
          report.snapshotId(), report.newSnapshot() ? " (new)" : " (unchanged)"));
    }
    out.flush();
    return failures.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private ValidationReport validateCorpus() throws IOException {
    CorpusValidator.Builder validator = CorpusValidator.builder();
    if (thresholds != null) {
      ValidationThresholds base = ValidationThresholds.defaults();
      JsonNode given = TextRowsCommand.JSON.readTree(Files.readString(thresholds));
      if (given == null || !given.isObject()) {
        throw new InvalidRequestException("thresholds file " + thresholds + " must hold a JSON object");
      }
      ObjectNode merged = TextRowsCommand.JSON.valueToTree(base);
      merged.setAll((ObjectNode) given);
      try {
        validator.thresholds(TextRowsCommand.JSON.treeToValue(merged, ValidationThresholds.class));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        throw new InvalidRequestException("thresholds file " + thresholds + " is not valid: " + e.getMessage(), e);
      }
    }
    CorpusValidator.Accumulator accumulator = validator.build().start();
    if (Files.isDirectory(in)) {
      FolderLoader.ofDefaults().forEach(in, accumulator::add, failure -> { });
    } else {
      try (JsonLinesCorpus corpus = JsonLinesCorpus.open(in)) {
        accumulator.addAll(corpus);
      }
    }
    return accumulator.finish();
  }

  /**
   * The ids a refresh must not delete although the input did not give them: those of documents that failed to
   * load. When a failure has no id (a line that is not JSON), any indexed document may be the one it held, so
   * nothing is deleted this time.
   */
  private static Collection<String> keep(IndexOptions.Opened<DocumentIndex> opened, List<DocumentFailure> failures,
      PrintWriter err) {
    boolean unknown = failures.stream().anyMatch(f -> f.documentId().equals(f.source()));
    if (unknown) {
      err.println("llmops: some input could not be read far enough to know its document id; --refresh deletes "
          + "nothing this time");
      return opened.index().documentIds();
    }
    return failures.stream().map(DocumentFailure::documentId).toList();
  }

  /** Upserts, or refreshes keeping the documents that failed to load (their indexed version stays). */
  private IngestReport ingest(IndexOptions.Opened<DocumentIndex> opened, Iterable<Document> documents,
      Supplier<Collection<String>> unreadable, long total, boolean showProgress, PrintWriter err) {
    try (Progress status = showProgress ? Progress.on(err, "indexing", "documents", total, Ticker.system())
        : Progress.off(err)) {
      IngestListener listener = (docs, chunks, failed) -> status.advanceTo(docs);
      IngestReport report = refresh ? opened.index().refresh(documents, unreadable, listener)
          : opened.index().upsert(documents, listener);
      status.finish();
      return report;
    }
  }
}
