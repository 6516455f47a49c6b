package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.guard.Finding;
import dev.llmops.guardrails.secrets.SecretsGuard;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * False positives and speed of {@link SecretsGuard#defaults()} on ordinary files: every text file under each
 * directory (source, configuration, documentation; no build output or .git) is scanned, and the files with
 * findings are listed with the finding type and the 30 characters before it (never the match). On trees that hold
 * no real credentials every finding is a false positive or a documentation example of a credential.
 */
final class SecretsScan {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXTENSIONS =
      "java,xml,md,json,yml,yaml,properties,txt,toml,py,sh,html,js,ts,css,cfg,ini,gradle,kts";

  private SecretsScan() {}

  record Settings(List<Path> dirs, Set<String> extensions, int maxFileChars, Path out) {
    static Settings parse(String[] args) {
      Map<String, String> o = CommandOptions.parse(args, Set.of("--dirs", "--extensions", "--max-file-chars", "--out"));
      List<Path> dirs = Arrays.stream(o.getOrDefault("--dirs", "..").split(",")).map(Path::of).toList();
      for (Path d : dirs) {
        if (!Files.isDirectory(d)) {
          throw new IllegalArgumentException("--dirs: " + d.toAbsolutePath() + " is not a directory");
        }
      }
      return new Settings(dirs, Set.of(o.getOrDefault("--extensions", EXTENSIONS).split(",")),
          Integer.parseInt(o.getOrDefault("--max-file-chars", "5000000")),
          Path.of(o.getOrDefault("--out", "target/results")));
    }
  }

  record Row(Path dir, int files, long chars, int filesWithFindings, Map<String, Integer> byType, double seconds,
      List<String> examples) {}

  record Report(List<Row> rows) {
    String table() {
      StringBuilder t = new StringBuilder("secrets-scan: SecretsGuard.defaults() over ordinary files\n");
      t.append(String.format(Locale.ROOT, "%-40s %7s %10s %9s %8s %8s  %s%n", "dir", "files", "chars",
          "w/finding", "findings", "MB/s", "by type"));
      for (Row r : rows) {
        int findings = r.byType().values().stream().mapToInt(Integer::intValue).sum();
        t.append(String.format(Locale.ROOT, "%-40s %,7d %,10d %9d %8d %8.1f  %s%n", r.dir(), r.files(), r.chars(),
            r.filesWithFindings(), findings, r.chars() / 1e6 / Math.max(1e-9, r.seconds()), r.byType()));
        for (String e : r.examples()) {
          t.append("    ").append(e).append('\n');
        }
      }
      return t.toString();
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("secrets-scan.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row r : rows) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "secrets-scan");
        line.put("time", when);
        line.put("dir", r.dir().toAbsolutePath().normalize().toString());
        line.put("files", r.files());
        line.put("chars", r.chars());
        line.put("files_with_findings", r.filesWithFindings());
        line.put("findings_by_type", r.byType());
        line.put("seconds", r.seconds());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      return file;
    }
  }

  static Report run(Settings settings) throws IOException {
    SecretsGuard guard = SecretsGuard.defaults();
    List<Row> rows = new ArrayList<>();
    for (Path dir : settings.dirs()) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(dir)) {
        files = walk.filter(Files::isRegularFile).filter(p -> wanted(p, settings.extensions())).sorted().toList();
      }
      int count = 0;
      long chars = 0;
      int withFindings = 0;
      double seconds = 0;
      Map<String, Integer> byType = new TreeMap<>();
      List<String> examples = new ArrayList<>();
      for (Path p : files) {
        String text;
        try {
          text = Files.readString(p);
        } catch (MalformedInputException e) {
          continue; // not UTF-8 text
        }
        if (text.length() > settings.maxFileChars()) {
          continue;
        }
        count++;
        chars += text.length();
        long start = System.nanoTime();
        List<Finding> findings = guard.scan(text);
        seconds += (System.nanoTime() - start) / 1e9;
        if (!findings.isEmpty()) {
          withFindings++;
        }
        for (Finding f : findings) {
          byType.merge(f.type(), 1, Integer::sum);
          if (examples.size() < 20 && f.span() != null) {
            String before = text.substring(Math.max(0, f.span().start() - 30), f.span().start()).replace("\n", "\\n");
            examples.add(dir.relativize(p) + ": " + f.type() + " after '" + before + "'");
          }
        }
      }
      rows.add(new Row(dir, count, chars, withFindings, byType, seconds, examples));
    }
    return new Report(rows);
  }

  private static boolean wanted(Path p, Set<String> extensions) {
    String s = p.toString();
    if (s.contains("/target/") || s.contains("/.git/") || s.contains("/build/")) {
      return false;
    }
    int dot = s.lastIndexOf('.');
    return dot > s.lastIndexOf('/') && extensions.contains(s.substring(dot + 1));
  }
}
