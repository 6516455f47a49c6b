package dev.llmops.cli;

import dev.llmops.core.NotFoundException;
import dev.llmops.core.observe.LineageDiff;
import dev.llmops.core.observe.LineageReader;
import dev.llmops.core.observe.LineageRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmops lineage}: reads the lineage files of {@code LineageSink.jsonLines}. */
@Command(
    name = "lineage",
    mixinStandardHelpOptions = true,
    description = "Look up what made an answer, and why two answers differ, in lineage JSON Lines files.",
    subcommands = {LineageCommand.Show.class, LineageCommand.Diff.class})
final class LineageCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand");
  }

  /** The records with {@code ids} in {@code dir}, in one pass; a missing id is a {@link NotFoundException}. */
  static Map<String, LineageRecord> find(CommandLine commandLine, Path dir, List<String> ids) {
    if (!Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(commandLine, "lineage directory " + dir + " does not exist");
    }
    LineageReader reader = LineageReader.jsonLines(dir);
    Set<String> wanted = Set.copyOf(ids);
    Map<String, LineageRecord> found = new HashMap<>();
    try (Stream<LineageRecord> records = reader.records()) {
      for (Iterator<LineageRecord> it = records.iterator(); it.hasNext() && found.size() < wanted.size(); ) {
        LineageRecord r = it.next();
        if (wanted.contains(r.requestId())) {
          found.putIfAbsent(r.requestId(), r);
        }
      }
    }
    if (reader.skippedTornLines() > 0) {
      commandLine.getErr().println("llmops: skipped " + reader.skippedTornLines()
          + " incomplete last line(s) left by a crash");
    }
    for (String id : ids) {
      if (!found.containsKey(id)) {
        throw new NotFoundException("no lineage record with request id '" + id + "' in " + dir + " ("
            + reader.files().size() + " files)");
      }
    }
    return found;
  }

  /** {@code llmops lineage show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print one lineage record as a line of JSON.")
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The directory of lineage-*.jsonl files.")
    Path dir = Path.of("");

    @Option(names = "--id", required = true, paramLabel = "REQUEST_ID", description = "The request id.")
    String id = "";

    @Override
    public Integer call() {
      LineageRecord record = find(spec.commandLine(), dir, List.of(id)).get(id);
      PrintWriter out = spec.commandLine().getOut();
      out.println(record.toJson());
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code llmops lineage diff}. */
  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description = {
          "Print what differs between two lineage records: release, prompt version, deployment and model version, "
              + "index snapshot, retrieved chunks, guard policy and verdicts, parameters, finish reason, outcome and "
              + "output hash.",
          "One difference per line (FIELD: BEFORE -> AFTER, '(none)' for absent), then a summary line; with --json, "
              + "one JSON object. Exits 0 whether or not they differ."})
  static final class Diff implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The directory of lineage-*.jsonl files.")
    Path dir = Path.of("");

    @Option(names = "--json", description = "Print {\"a\",\"b\",\"differences\":[{\"field\",\"before\",\"after\"}],\"description\"}.")
    boolean json;

    @Parameters(index = "0", paramLabel = "A_ID", description = "The request id of the earlier answer.")
    String a = "";

    @Parameters(index = "1", paramLabel = "B_ID", description = "The request id of the later answer.")
    String b = "";

    @Override
    public Integer call() {
      Map<String, LineageRecord> records = find(spec.commandLine(), dir, List.of(a, b));
      LineageDiff diff = LineageDiff.between(records.get(a), records.get(b));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(diff.toJson(a, b));
      } else {
        for (LineageDiff.Difference d : diff.differences()) {
          out.println(d.field() + ": " + show(d.before()) + " -> " + show(d.after()));
        }
        out.println(diff.describe());
      }
      out.flush();
      return ExitCodes.OK;
    }

    private static String show(@Nullable String value) {
      return value == null ? "(none)" : value;
    }
  }
}
