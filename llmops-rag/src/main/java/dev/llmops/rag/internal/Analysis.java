package dev.llmops.rag.internal;

import dev.llmops.core.MalformedResponseException;
import dev.llmops.rag.index.TextAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** The Lucene analyzers behind {@link TextAnalysis} and the BM25 parameters every store uses. */
public final class Analysis {

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
