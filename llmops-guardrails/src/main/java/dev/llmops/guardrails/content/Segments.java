package dev.llmops.guardrails.content;

import dev.llmops.core.TextSpan;
import dev.llmops.guardrails.internal.Sentences;
import java.util.ArrayList;
import java.util.List;

/** Cuts a text into pieces a model can take: sentences, long sentences split at spaces, packed when too many. */
final class Segments {

  private Segments() {}

  /**
   * The pieces of {@code text} to score, none longer than {@code maxChars}: its sentences when there are at most
   * {@code maxSentences}, otherwise runs of neighbouring sentences packed up to {@code maxChars}. Together they
   * cover every non-blank character of the text.
   */
  static List<TextSpan> of(String text, int maxChars, int maxSentences) {
    List<TextSpan> pieces = new ArrayList<>();
    for (TextSpan s : Sentences.split(text)) {
      split(text, s.start(), s.end(), maxChars, pieces);
    }
    if (pieces.size() <= maxSentences) {
      return pieces;
    }
    List<TextSpan> packed = new ArrayList<>();
    int start = -1;
    int end = -1;
    for (TextSpan p : pieces) {
      if (start >= 0 && p.end() - start <= maxChars) {
        end = p.end();
        continue;
      }
      if (start >= 0) {
        packed.add(new TextSpan(start, end));
      }
      start = p.start();
      end = p.end();
    }
    if (start >= 0) {
      packed.add(new TextSpan(start, end));
    }
    return packed;
  }

  private static void split(String text, int start, int end, int maxChars, List<TextSpan> out) {
    int from = start;
    while (end - from > maxChars) {
      int cut = from + maxChars;
      int space = cut;
      while (space > from + maxChars / 2 && !Character.isWhitespace(text.charAt(space))) {
        space--;
      }
      if (space > from + maxChars / 2) {
        cut = space;
      } else if (Character.isLowSurrogate(text.charAt(cut)) && cut > from + 1) {
        cut--;
      }
      out.add(new TextSpan(from, cut));
      from = cut;
      while (from < end && Character.isWhitespace(text.charAt(from))) {
        from++;
      }
    }
    if (end > from) {
      out.add(new TextSpan(from, end));
    }
  }
}
