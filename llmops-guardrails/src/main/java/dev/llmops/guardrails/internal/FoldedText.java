package dev.llmops.guardrails.internal;

import dev.llmops.core.TextSpan;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A folded view of a text for matching (lower-cased, compatibility-normalised, invisible characters dropped,
 * optionally de-accented, de-leeted and de-confused), with every folded character mapped back to the original
 * character it came from, so a match in the folded text becomes a {@link TextSpan} in the original.
 *
 * <p>Immutable and safe to share. Folding is linear in the text length. Unpaired surrogates are kept as they
 * are (they match nothing).
 */
public final class FoldedText {

  /** What folding does beyond lower-casing, NFKC and dropping invisible characters. */
  public enum Fold {
    /** Drops combining marks, so {@code é} matches {@code e}. */
    STRIP_ACCENTS,
    /** Maps digits and symbols used as letters ({@code 1gn0r3}, {@code @}, {@code $}) to letters. */
    LEET,
    /** Maps Cyrillic and Greek letters that look like Latin ones to the Latin letter. */
    CONFUSABLES,
    /**
     * Joins letters written one at a time with single separators ({@code i g n o r e}, {@code i.g.n.o.r.e})
     * when at least four come in a row.
     */
    JOIN_SPACED_LETTERS
  }

  /** Every fold. */
  public static final Set<Fold> ALL = EnumSet.allOf(Fold.class);

  private final String original;
  private final String folded;
  private final int[] origin;

  private FoldedText(String original, String folded, int[] origin) {
    this.original = original;
    this.folded = folded;
    this.origin = origin;
  }

  /** Folds {@code text} with lower-casing, NFKC and invisible-character removal only. */
  public static FoldedText of(String text) {
    return of(text, EnumSet.noneOf(Fold.class));
  }

  /** Folds {@code text} with the basic folds plus {@code folds}. */
  public static FoldedText of(String text, Set<Fold> folds) {
    StringBuilder out = new StringBuilder(text.length());
    int[] origin = new int[text.length() + 1];
    int n = 0;
    boolean strip = folds.contains(Fold.STRIP_ACCENTS);
    boolean leet = folds.contains(Fold.LEET);
    boolean confusables = folds.contains(Fold.CONFUSABLES);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      if (!Invisible.isInvisible(cp)) {
        String piece = fold(cp, strip, leet, confusables);
        for (int j = 0; j < piece.length(); j++) {
          if (n == origin.length - 1) {
            origin = java.util.Arrays.copyOf(origin, origin.length * 2 + 1);
          }
          out.append(piece.charAt(j));
          origin[n++] = i;
        }
      }
      i += width;
    }
    String folded = out.toString();
    int[] map = java.util.Arrays.copyOf(origin, n + 1);
    map[n] = text.length();
    FoldedText result = new FoldedText(text, folded, map);
    return folds.contains(Fold.JOIN_SPACED_LETTERS) ? result.joinSpacedLetters() : result;
  }

  private static String fold(int cp, boolean strip, boolean leet, boolean confusables) {
    if (cp < 0x80) {
      char c = (char) cp;
      if (leet) {
        char l = leet(c);
        if (l != 0) {
          return String.valueOf(l);
        }
      }
      return String.valueOf(Character.toLowerCase(c));
    }
    if (Character.isSurrogate((char) cp)) {
      return String.valueOf((char) cp);
    }
    if (confusables) {
      char c = confusable(cp);
      if (c != 0) {
        return String.valueOf(c);
      }
    }
    String s = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC);
    if (strip) {
      s = Normalizer.normalize(s, Normalizer.Form.NFD);
      StringBuilder b = new StringBuilder(s.length());
      for (int k = 0; k < s.length(); k++) {
        char c = s.charAt(k);
        if (Character.getType(c) != Character.NON_SPACING_MARK) {
          b.append(c);
        }
      }
      s = b.toString();
    }
    s = s.toLowerCase(Locale.ROOT);
    if (confusables && s.length() == 1) {
      char c = confusable(s.charAt(0));
      if (c != 0) {
        return String.valueOf(c);
      }
    }
    return s;
  }

  private static char leet(char c) {
    return switch (c) {
      case '0' -> 'o';
      case '1', '!', '|' -> 'i';
      case '3' -> 'e';
      case '4', '@' -> 'a';
      case '5', '$' -> 's';
      case '7' -> 't';
      case '8' -> 'b';
      case '9' -> 'g';
      default -> 0;
    };
  }

  private static char confusable(int cp) {
    return switch (cp) {
      case 0x0430, 0x0410, 0x03B1, 0x0391 -> 'a';
      case 0x0435, 0x0415, 0x03B5, 0x0395 -> 'e';
      case 0x043E, 0x041E, 0x03BF, 0x039F -> 'o';
      case 0x0440, 0x0420, 0x03C1, 0x03A1 -> 'p';
      case 0x0441, 0x0421 -> 'c';
      case 0x0443, 0x0423, 0x03C5 -> 'y';
      case 0x0445, 0x0425, 0x03C7, 0x03A7 -> 'x';
      case 0x0456, 0x0406, 0x03B9, 0x0399 -> 'i';
      case 0x0458, 0x0408 -> 'j';
      case 0x0455, 0x0405 -> 's';
      case 0x043A, 0x041A, 0x03BA, 0x039A -> 'k';
      case 0x043C, 0x041C, 0x039C -> 'm';
      case 0x043D, 0x041D, 0x0397 -> 'h';
      case 0x0442, 0x0422, 0x03C4, 0x03A4 -> 't';
      case 0x0432, 0x0412, 0x0392 -> 'b';
      case 0x03BD, 0x039D -> 'n';
      default -> 0;
    };
  }

  private FoldedText joinSpacedLetters() {
    StringBuilder out = new StringBuilder(folded.length());
    int[] map = new int[folded.length() + 1];
    int n = 0;
    int i = 0;
    while (i < folded.length()) {
      int run = spacedRunEnd(i);
      if (run > i) {
        for (int k = i; k < run; k += 2) {
          out.append(folded.charAt(k));
          map[n++] = origin[k];
        }
        i = run;
        if (i < folded.length() && folded.charAt(i - 1) != ' ' && isSeparator(folded.charAt(i))) {
          // keep one separator after the joined word
          out.append(' ');
          map[n++] = origin[i];
          i++;
        }
        continue;
      }
      out.append(folded.charAt(i));
      map[n++] = origin[i];
      i++;
    }
    map[n] = original.length();
    return new FoldedText(original, out.toString(), java.util.Arrays.copyOf(map, n + 1));
  }

  /** The end (exclusive, after the last letter) of a run of at least four single letters each followed by one separator. */
  private int spacedRunEnd(int start) {
    if (start > 0 && Character.isLetterOrDigit(folded.charAt(start - 1))) {
      return start;
    }
    int k = start;
    int letters = 0;
    while (k < folded.length() && Character.isLetter(folded.charAt(k))
        && (k + 1 == folded.length() || !Character.isLetterOrDigit(folded.charAt(k + 1)))) {
      letters++;
      if (k + 2 < folded.length() && isSeparator(folded.charAt(k + 1)) && Character.isLetter(folded.charAt(k + 2))
          && (k + 3 == folded.length() || !Character.isLetterOrDigit(folded.charAt(k + 3)))) {
        k += 2;
      } else {
        k++;
        break;
      }
    }
    return letters >= 4 ? k : start;
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*';
  }

  /** The text that was folded. */
  public String original() {
    return original;
  }

  /** The folded text, for matching. */
  public String folded() {
    return folded;
  }

  /**
   * The span of the original text that folded characters {@code [start, end)} came from.
   *
   * @throws IndexOutOfBoundsException if the range is not within the folded text
   */
  public TextSpan toOriginal(int start, int end) {
    if (start < 0 || end < start || end > folded.length()) {
      throw new IndexOutOfBoundsException("[" + start + ", " + end + ") is not within 0.." + folded.length());
    }
    if (start == end) {
      return new TextSpan(origin[start], origin[start]);
    }
    int last = origin[end - 1];
    int lastEnd = last + Character.charCount(original.codePointAt(last));
    return new TextSpan(origin[start], Math.min(original.length(), lastEnd));
  }
}
