package dev.llmops.guardrails.internal;

import dev.llmops.core.TextSpan;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits text into sentences: {@link BreakIterator} sentence boundaries, plus line breaks (list items, headings). */
public final class Sentences {

  private Sentences() {}

  /**
   * The sentences of {@code text}, as spans with surrounding whitespace trimmed, in order; empty for blank text.
   * Every line is at least its own sentence, so list items and headings without end punctuation stay separate.
   */
  public static List<TextSpan> split(String text) {
    List<TextSpan> spans = new ArrayList<>();
    int lineStart = 0;
    while (lineStart <= text.length()) {
      int newline = text.indexOf('\n', lineStart);
      int lineEnd = newline < 0 ? text.length() : newline;
      splitLine(text, lineStart, lineEnd, spans);
      if (newline < 0) {
        break;
      }
      lineStart = newline + 1;
    }
    return spans;
  }

  private static void splitLine(String text, int from, int to, List<TextSpan> out) {
    if (from >= to) {
      return;
    }
    BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
    String line = text.substring(from, to);
    it.setText(line);
    int start = it.first();
    for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
      int s = start;
      int e = end;
      while (s < e && Character.isWhitespace(line.charAt(s))) {
        s++;
      }
      while (e > s && Character.isWhitespace(line.charAt(e - 1))) {
        e--;
      }
      if (e > s) {
        out.add(new TextSpan(from + s, from + e));
      }
    }
  }
}
