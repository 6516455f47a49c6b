package dev.llmops.guardrails.grounding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds citation markers with one left-to-right scan (no regular expressions): each opening bracket is followed
 * at most {@link #MAX_MARKER} characters, and the scan resumes after whatever stopped it, so the work is linear.
 */
final class Citations {

  /** The longest marker, brackets included. */
  static final int MAX_MARKER = 512;

  private static final String[] PREFIXES = {"sources:", "source:", "source ", "sources ", "chunk ", "ref:", "ref "};

  private Citations() {}

  /** A citation marker: its characters and the ids it names, in order. */
  record Marker(int start, int end, List<String> ids) {}

  /**
   * The markers in {@code text[0, limit)}.
   *
   * @param knownIds chunk ids that count as ids whatever their shape
   * @param numbered whether bare numbers are ids (of the n-th retrieved chunk)
   */
  static List<Marker> find(String text, int limit, Set<CitationStyle> styles, Set<String> knownIds, boolean numbered) {
    List<Marker> markers = new ArrayList<>();
    boolean brackets = styles.contains(CitationStyle.BRACKETS);
    boolean footnotes = styles.contains(CitationStyle.FOOTNOTE);
    boolean lenticular = styles.contains(CitationStyle.LENTICULAR);
    int i = 0;
    while (i < limit) {
      char c = text.charAt(i);
      char close;
      if (c == '[' && (brackets || footnotes)) {
        close = ']';
      } else if (c == '\u3010' && lenticular) {
        close = '\u3011';
      } else {
        i++;
        continue;
      }
      int stop = Math.min(limit, i + MAX_MARKER);
      int j = i + 1;
      while (j < stop) {
        char d = text.charAt(j);
        if (d == close || d == '[' || d == '\u3010' || d == '\n') {
          break;
        }
        j++;
      }
      if (j >= stop || text.charAt(j) != close) {
        i = j; // nothing in (i, j) can open a marker, so resuming at j keeps the scan linear
        continue;
      }
      int end = j + 1;
      boolean link = close == ']' && end < limit && text.charAt(end) == '(';
      String content = text.substring(i + 1, j);
      List<String> ids = null;
      if (!link) {
        if (close == '\u3011') {
          int dagger = content.indexOf('\u2020');
          ids = ids(dagger < 0 ? content : content.substring(0, dagger), knownIds, numbered);
        } else if (content.startsWith("^")) {
          ids = footnotes ? ids(content.substring(1), knownIds, numbered) : null;
        } else if (brackets) {
          ids = ids(content, knownIds, numbered);
        }
      }
      if (ids != null) {
        markers.add(new Marker(i, end, ids));
      }
      i = end;
    }
    return markers;
  }

  /** The ids in a marker's content, or {@code null} if the content does not look like a citation. */
  private static @Nullable List<String> ids(String content, Set<String> knownIds, boolean numbered) {
    String body = content.strip();
    if (knownIds.contains(body)) {
      return List.of(body);
    }
    String lower = body.toLowerCase(Locale.ROOT);
    for (String prefix : PREFIXES) {
      if (lower.startsWith(prefix)) {
        body = body.substring(prefix.length()).strip();
        break;
      }
    }
    if (body.isEmpty()) {
      return null;
    }
    List<String> ids = new ArrayList<>();
    int from = 0;
    for (int k = 0; k <= body.length(); k++) {
      if (k == body.length() || body.charAt(k) == ',' || body.charAt(k) == ';') {
        String id = body.substring(from, k).strip();
        if (!isId(id, knownIds, numbered)) {
          return null;
        }
        ids.add(id);
        from = k + 1;
      }
    }
    return ids;
  }

  private static boolean isId(String id, Set<String> knownIds, boolean numbered) {
    if (id.isEmpty() || id.length() > 256) {
      return false;
    }
    if (knownIds.contains(id)) {
      return true;
    }
    boolean digit = false;
    boolean allDigits = true;
    boolean mark = false;
    for (int k = 0; k < id.length(); k++) {
      char c = id.charAt(k);
      if (Character.isWhitespace(c)) {
        return false;
      }
      boolean isDigit = c >= '0' && c <= '9';
      digit |= isDigit;
      allDigits &= isDigit;
      mark |= c == '#' || c == '/' || c == ':';
    }
    if (allDigits) {
      return numbered;
    }
    return digit || mark;
  }
}
