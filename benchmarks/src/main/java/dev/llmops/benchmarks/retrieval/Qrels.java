package dev.llmops.benchmarks.retrieval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Relevance judgements: for each query, the graded relevance of the documents an assessor judged. Grades are
 * integers; as in trec_eval a document is relevant when its grade is at least 1, and a grade of 0 or below (judged
 * not relevant, or a negative "unjudged in pool" mark) counts as no gain. A document absent from the judgements has
 * grade 0.
 *
 * <p>Read from either format:
 * <ul>
 *   <li>BEIR: tab-separated {@code query-id corpus-id score}, with or without that header line;
 *   <li>TREC: whitespace-separated {@code qid iteration docid relevance} (the iteration column, usually {@code 0},
 *       is ignored).
 * </ul>
 * The format is taken from the first line that is not blank; every other line must have the same shape.
 *
 * <p>Immutable and safe to share across threads.
 */
public final class Qrels {

  private final Map<String, Map<String, Integer>> judgements;

  private Qrels(Map<String, Map<String, Integer>> judgements) {
    this.judgements = judgements;
  }

  /**
   * Judgements given as query id to (document id to grade), copied; iteration order is kept.
   *
   * @throws IllegalArgumentException for a blank id
   */
  public static Qrels of(Map<String, Map<String, Integer>> judgements) {
    Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
    judgements.forEach((query, docs) -> {
      requireId(query, "query id");
      Map<String, Integer> grades = new LinkedHashMap<>();
      docs.forEach((doc, grade) -> grades.put(requireId(doc, "document id"), grade));
      copy.put(query, Collections.unmodifiableMap(grades));
    });
    return new Qrels(Collections.unmodifiableMap(copy));
  }

  /**
   * Reads a BEIR qrels TSV or a TREC qrels file (UTF-8).
   *
   * @throws IllegalArgumentException naming the file and line for a line of the wrong shape, a grade that is not an
   *     integer, or a second judgement of the same (query, document) pair
   * @throws IOException when the file cannot be read
   */
  public static Qrels read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses qrels lines; {@code source} names them in error messages.
   *
   * @throws IllegalArgumentException as {@link #read(Path)}
   */
  public static Qrels parse(List<String> lines, String source) {
    Map<String, Map<String, Integer>> judgements = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new LinkedHashMap<>();
    Boolean beir = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int number = i + 1;
      if (line.isEmpty()) {
        continue;
      }
      String[] fields;
      if (beir == null) {
        if (line.startsWith("query-id\t")) {
          beir = true;
          continue;
        }
        beir = line.split("\t", -1).length == 3;
      }
      fields = beir ? line.split("\t", -1) : line.split("\\s+");
      if (fields.length != (beir ? 3 : 4)) {
        throw new IllegalArgumentException(String.format("%s:%d: expected %s, got %d fields: '%s'", source, number,
            beir ? "3 tab-separated fields (query-id, corpus-id, score)"
                : "4 fields (qid, iteration, docid, relevance)", fields.length, line));
      }
      String query = fields[0].strip();
      String doc = fields[beir ? 1 : 2].strip();
      String gradeText = fields[beir ? 2 : 3].strip();
      if (query.isEmpty() || doc.isEmpty()) {
        throw new IllegalArgumentException(String.format("%s:%d: empty query or document id: '%s'", source, number,
            line));
      }
      int grade;
      try {
        grade = Integer.parseInt(gradeText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(String.format("%s:%d: relevance '%s' is not an integer", source, number,
            gradeText), e);
      }
      Integer earlier = firstLine.putIfAbsent(query + '\u0000' + doc, number);
      if (earlier != null) {
        throw new IllegalArgumentException(String.format("%s:%d: query %s, document %s was already judged on line %d",
            source, number, query, doc, earlier));
      }
      judgements.computeIfAbsent(query, q -> new LinkedHashMap<>()).put(doc, grade);
    }
    return of(judgements);
  }

  /** Every query with at least one judgement, in the order first seen. */
  public Set<String> queries() {
    return judgements.keySet();
  }

  /** The judged documents of {@code query} and their grades; empty for a query without judgements. */
  public Map<String, Integer> judgements(String query) {
    return judgements.getOrDefault(query, Map.of());
  }

  /** The grade of {@code doc} for {@code query}; 0 when it was not judged. */
  public int grade(String query, String doc) {
    return judgements(query).getOrDefault(doc, 0);
  }

  /** How many documents have grade 1 or more for {@code query}. */
  public int relevantCount(String query) {
    return (int) judgements(query).values().stream().filter(g -> g > 0).count();
  }

  /** The number of (query, document) judgements. */
  public int size() {
    return judgements.values().stream().mapToInt(Map::size).sum();
  }

  private static String requireId(String id, String what) {
    if (id.isBlank()) {
      throw new IllegalArgumentException(what + " is blank");
    }
    return id;
  }

  @Override
  public String toString() {
    return "Qrels[" + judgements.size() + " queries, " + size() + " judgements]";
  }
}
