package dev.llmops.benchmarks.retrieval;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A retrieval run in TREC format: lines {@code qid Q0 docid rank score tag}, at most one per (query, document).
 *
 * <p>As trec_eval does, a query's ranking is its documents ordered by score, highest first, with equal scores broken
 * by document id in <em>descending</em> byte order ({@code strcmp}); the rank column is read but not used for
 * ordering. {@link #write} writes each query's lines in that order with ranks 1, 2, 3..., so the file says exactly
 * what trec_eval will evaluate.
 *
 * <p>Immutable and safe to share across threads.
 */
public final class TrecRun {

  /** A retrieved document and its score. */
  public record ScoredDoc(String docId, double score) {
    public ScoredDoc {
      if (docId.isBlank() || docId.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("document id '" + docId + "' is blank or contains whitespace");
      }
      if (!Double.isFinite(score)) {
        throw new IllegalArgumentException("score of document " + docId + " is " + score);
      }
    }
  }

  /** trec_eval's order: score descending, then document id descending in UTF-8 byte order. */
  public static final Comparator<ScoredDoc> TREC_EVAL_ORDER = (a, b) -> {
    if (a.score() > b.score()) {
      return -1;
    }
    if (a.score() < b.score()) {
      return 1;
    }
    return compareCodePoints(b.docId(), a.docId());
  };

  private final String tag;
  private final Map<String, List<ScoredDoc>> rankings;

  private TrecRun(String tag, Map<String, List<ScoredDoc>> rankings) {
    this.tag = tag;
    this.rankings = rankings;
  }

  /**
   * A run from each query's retrieved documents, in any order (they are put in {@link #TREC_EVAL_ORDER}).
   *
   * @throws IllegalArgumentException for a tag or query id that is blank or contains whitespace, or a document
   *     retrieved twice for one query
   */
  public static TrecRun of(String tag, Map<String, ? extends List<ScoredDoc>> retrieved) {
    requireToken(tag, "run tag");
    Map<String, List<ScoredDoc>> rankings = new LinkedHashMap<>();
    retrieved.forEach((query, docs) -> {
      requireToken(query, "query id");
      Set<String> seen = new HashSet<>();
      for (ScoredDoc d : docs) {
        if (!seen.add(d.docId())) {
          throw new IllegalArgumentException("query " + query + " retrieves document " + d.docId() + " twice");
        }
      }
      List<ScoredDoc> sorted = new ArrayList<>(docs);
      sorted.sort(TREC_EVAL_ORDER);
      rankings.put(query, Collections.unmodifiableList(sorted));
    });
    return new TrecRun(tag, Collections.unmodifiableMap(rankings));
  }

  /**
   * Reads a TREC run file (UTF-8).
   *
   * @throws IllegalArgumentException naming the file and line for a line without six fields, a rank that is not an
   *     integer, a score that is not a finite number, or a (query, document) pair already on an earlier line
   * @throws IOException when the file cannot be read
   */
  public static TrecRun read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses run lines; {@code source} names them in error messages. The run's tag is the first line's.
   *
   * @throws IllegalArgumentException as {@link #read(Path)}, and for a run with no lines
   */
  public static TrecRun parse(List<String> lines, String source) {
    Map<String, List<ScoredDoc>> retrieved = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new HashMap<>();
    String tag = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int number = i + 1;
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length != 6) {
        throw new IllegalArgumentException(String.format("%s:%d: expected 6 fields (qid Q0 docid rank score tag), "
            + "got %d: '%s'", source, number, f.length, line));
      }
      try {
        Integer.parseInt(f[3]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(String.format("%s:%d: rank '%s' is not an integer", source, number, f[3]),
            e);
      }
      double score;
      try {
        score = Double.parseDouble(f[4]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(String.format("%s:%d: score '%s' is not a number", source, number, f[4]),
            e);
      }
      if (!Double.isFinite(score)) {
        throw new IllegalArgumentException(String.format("%s:%d: score '%s' is not finite", source, number, f[4]));
      }
      Integer earlier = firstLine.putIfAbsent(f[0] + '\u0000' + f[2], number);
      if (earlier != null) {
        throw new IllegalArgumentException(String.format("%s:%d: query %s retrieves document %s again (first on "
            + "line %d)", source, number, f[0], f[2], earlier));
      }
      if (tag == null) {
        tag = f[5];
      }
      retrieved.computeIfAbsent(f[0], q -> new ArrayList<>()).add(new ScoredDoc(f[2], score));
    }
    if (tag == null) {
      throw new IllegalArgumentException(source + ": the run has no lines");
    }
    return of(tag, retrieved);
  }

  /** The tag of the run (the last column). */
  public String tag() {
    return tag;
  }

  /** The queries that have at least one line, in the order first seen. */
  public Set<String> queries() {
    return rankings.keySet();
  }

  /** The documents retrieved for {@code query} in trec_eval's order; empty when the run has no line for it. */
  public List<ScoredDoc> ranking(String query) {
    return rankings.getOrDefault(query, List.of());
  }

  /** The ids of {@link #ranking(String)}, in the same order. */
  public List<String> rankedIds(String query) {
    return ranking(query).stream().map(ScoredDoc::docId).toList();
  }

  /** Writes the run as TREC lines, each query's in trec_eval's order with ranks from 1. */
  public void write(Writer out) throws IOException {
    for (Map.Entry<String, List<ScoredDoc>> e : rankings.entrySet()) {
      int rank = 1;
      for (ScoredDoc d : e.getValue()) {
        out.write(String.format(Locale.ROOT, "%s Q0 %s %d %s %s%n", e.getKey(), d.docId(), rank++,
            Double.toString(d.score()), tag));
      }
    }
  }

  /** Writes the run to {@code file} (UTF-8), replacing it. */
  public void write(Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(out);
    }
  }

  /** Compares as C's {@code strcmp} does on the UTF-8 bytes: by Unicode code point. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static void requireToken(String value, String what) {
    if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(what + " '" + value + "' is blank or contains whitespace");
    }
  }

  @Override
  public String toString() {
    return "TrecRun[" + tag + ", " + rankings.size() + " queries]";
  }
}
