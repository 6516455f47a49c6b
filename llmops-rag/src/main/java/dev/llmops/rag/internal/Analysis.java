package dev.llmops.rag.internal;

import dev.llmops.core.MalformedResponseException;
import dev.llmops.rag.index.TextAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** The Lucene analyzers behind {@link TextAnalysis} and the BM25 parameters every store uses. */
public final class Analysis {

  /** The most distinct terms of one BM25 query: Lucene's and Solr's default limit of clauses in one query. */
  public static final int MAX_QUERY_TERMS = 1024;

  /** BM25 term-frequency saturation; 0.9 as Anserini and Pyserini use for BEIR. */
  public static final float K1 = 0.9f;
  /** BM25 length normalisation; 0.4 as Anserini and Pyserini use for BEIR. */
  public static final float B = 0.4f;

  private Analysis() {}

  /** A new analyzer for {@code analysis}. Analyzers are thread-safe; close it with its owner. */
  public static Analyzer analyzer(TextAnalysis analysis) {
    return switch (analysis) {
      case ENGLISH -> new EnglishAnalyzer();
      case STANDARD -> new StandardAnalyzer(CharArraySet.EMPTY_SET);
    };
  }

  /** The terms {@code analyzer} makes of {@code text}, in order. */
  public static List<String> terms(Analyzer analyzer, String field, String text) {
    List<String> terms = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analysing text in memory cannot fail", e);
    }
    return terms;
  }

  /**
   * The distinct terms {@code analyzer} makes of {@code text}, each with how often it occurs, in first-seen order.
   * When there are more than {@code max}, the {@code max} most frequent stay (among equal counts, the first seen),
   * still in first-seen order: a BM25 query makes one clause per term, and Lucene and Solr refuse more than
   * {@link #MAX_QUERY_TERMS} by default.
   *
   * @param max the most terms to return, at least 1
   * @return a new mutable map; empty when the text has no terms
   * @throws IllegalArgumentException if {@code max} is below 1
   */
  public static Map<String, Integer> termCounts(Analyzer analyzer, String field, String text, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1 but was " + max);
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String term : terms(analyzer, field, text)) {
      counts.merge(term, 1, Integer::sum);
    }
    if (counts.size() <= max) {
      return counts;
    }
    List<Map.Entry<String, Integer>> byCount = new ArrayList<>(counts.entrySet());
    byCount.sort((a, b) -> Integer.compare(b.getValue(), a.getValue())); // stable: ties stay first-seen
    Set<String> kept = new HashSet<>();
    for (int i = 0; i < max; i++) {
      kept.add(byCount.get(i).getKey());
    }
    counts.keySet().retainAll(kept);
    return counts;
  }

  /** Normalises a vector to unit length in place; refuses a zero or non-finite vector. */
  public static float[] unit(float[] vector, String what) {
    double norm = 0;
    for (float v : vector) {
      norm += (double) v * v;
    }
    if (!(norm > 0) || Double.isInfinite(norm)) {
      throw new MalformedResponseException("the embedding of " + what + " has norm " + Math.sqrt(norm)
          + "; a zero or non-finite vector cannot be searched");
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < vector.length; i++) {
      vector[i] *= inv;
    }
    return vector;
  }
}
