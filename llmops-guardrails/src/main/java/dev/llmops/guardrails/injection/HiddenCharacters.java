package dev.llmops.guardrails.injection;

import dev.llmops.guardrails.internal.Invisible;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finds runs of invisible characters that can hide or reorder text, and leaves alone the ones that ordinary
 * text needs: the zero-width joiner and non-joiner next to non-ASCII letters and emoji (emoji sequences, Indic
 * and Persian script), a single variation selector after a non-ASCII character or in a keycap, and a byte-order
 * mark at the very start. Linear in the text length.
 */
final class HiddenCharacters {

  /** What kind of hidden character a run is made of (the kind of its most suspicious character). */
  enum Kind {
    /** Unicode tag characters U+E0000..U+E007F, which can carry ASCII invisibly. */
    TAG_CHARACTERS(0.7, "Unicode tag characters, which can carry hidden ASCII"),
    /** Bidirectional embeddings, overrides and isolates, which reorder what a reader sees. */
    BIDI_CONTROL(0.6, "bidirectional control characters, which reorder how the text is displayed"),
    /** Two or more variation selectors in a row, or one after an ASCII letter: a way to smuggle bytes. */
    VARIATION_SELECTOR(0.5, "variation selectors outside an emoji or ideograph sequence"),
    /** Left-to-right and right-to-left marks outside right-to-left text. */
    DIRECTION_MARK(0.3, "direction marks outside right-to-left text"),
    /** Zero-width spaces, joiners inside ASCII words, word joiners and other empty format characters. */
    ZERO_WIDTH(0.35, "zero-width characters"),
    /** Control characters other than tab and line breaks, fillers that render as blank space. */
    INVISIBLE_CONTROL(0.35, "invisible control or filler characters");

    final double score;
    final String detail;

    Kind(double score, String detail) {
      this.score = score;
      this.detail = detail;
    }
  }

  /**
   * A run of hidden characters.
   *
   * @param start first char (UTF-16 offset)
   * @param end one past the last char
   * @param kind the most suspicious kind in the run
   * @param count how many code points the run has
   */
  record Run(int start, int end, Kind kind, int count) {}

  private HiddenCharacters() {}

  /** The suspicious runs of {@code text}, in order. */
  static List<Run> find(String text) {
    List<Run> runs = new ArrayList<>();
    int runStart = -1;
    int runEnd = -1;
    @Nullable Kind runKind = null;
    int count = 0;
    int previousVisible = -1;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      @Nullable Kind kind = Invisible.isInvisible(cp) ? classify(text, i, cp, width, previousVisible) : null;
      if (kind != null) {
        if (runKind != null && runEnd == i) {
          runKind = kind.ordinal() < runKind.ordinal() ? kind : runKind;
          count++;
        } else {
          if (runKind != null) {
            runs.add(new Run(runStart, runEnd, runKind, count));
          }
          runStart = i;
          runKind = kind;
          count = 1;
        }
        runEnd = i + width;
      } else if (!Invisible.isInvisible(cp)) {
        previousVisible = cp;
      }
      i += width;
    }
    if (runKind != null) {
      runs.add(new Run(runStart, runEnd, runKind, count));
    }
    return runs;
  }

  private static final int WAVING_BLACK_FLAG = 0x1F3F4;

  /**
   * Whether the tag character at {@code i} belongs to an emoji flag sequence (England, Scotland, Wales: the black
   * flag, then up to seven tag letters or digits, then the cancel tag), which renders as a flag and hides no text.
   */
  private static boolean isFlagTagSequence(String text, int i) {
    int start = i;
    while (start > 0 && Invisible.isTag(text.codePointBefore(start))) {
      start -= Character.charCount(text.codePointBefore(start));
    }
    if (start == 0 || text.codePointBefore(start) != WAVING_BLACK_FLAG) {
      return false;
    }
    int tags = 0;
    for (int k = start; k < text.length(); ) {
      int cp = text.codePointAt(k);
      if (cp == 0xE007F) {
        return tags >= 1 && tags <= 7;
      }
      boolean letterOrDigit = (cp >= 0xE0061 && cp <= 0xE007A) || (cp >= 0xE0030 && cp <= 0xE0039);
      if (!letterOrDigit || ++tags > 7) {
        return false;
      }
      k += Character.charCount(cp);
    }
    return false;
  }

  /** The kind of a hidden character, or {@code null} when ordinary text needs it where it stands. */
  private static @Nullable Kind classify(String text, int i, int cp, int width, int previousVisible) {
    if (Invisible.isTag(cp)) {
      return previousVisible == WAVING_BLACK_FLAG && isFlagTagSequence(text, i) ? null : Kind.TAG_CHARACTERS;
    }
    if (cp == 0x200E || cp == 0x200F || cp == 0x061C) {
      return isRightToLeft(previousVisible) || isRightToLeft(next(text, i + width)) ? null : Kind.DIRECTION_MARK;
    }
    if (Invisible.isBidiControl(cp)) {
      return Kind.BIDI_CONTROL;
    }
    boolean selector = (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
    if (selector) {
      int after = next(text, i + width);
      boolean keycap = after == 0x20E3;
      boolean afterSelector = i > 0 && isSelector(text.codePointBefore(i));
      boolean inSequence = previousVisible >= 0x80 && !afterSelector && !isSelector(after);
      return keycap || inSequence ? null : Kind.VARIATION_SELECTOR;
    }
    if (cp == 0x200C || cp == 0x200D) {
      return previousVisible >= 0x80 || next(text, i + width) >= 0x80 ? null : Kind.ZERO_WIDTH;
    }
    if (cp == 0xFEFF && i == 0) {
      return null;
    }
    if (Character.getType(cp) == Character.CONTROL) {
      return Kind.INVISIBLE_CONTROL;
    }
    if (cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x2800) {
      return Kind.INVISIBLE_CONTROL;
    }
    return Kind.ZERO_WIDTH;
  }

  private static boolean isSelector(int cp) {
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
  }

  private static int next(String text, int i) {
    return i < text.length() ? text.codePointAt(i) : -1;
  }

  private static boolean isRightToLeft(int cp) {
    if (cp < 0) {
      return false;
    }
    byte d = Character.getDirectionality(cp);
    return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
  }

  /** The ASCII that Unicode tag characters U+E0020..U+E007E in {@code text} spell, in order. */
  static String decodeTags(String text, int start, int end) {
    StringBuilder out = new StringBuilder();
    for (int i = start; i < end; ) {
      int cp = text.codePointAt(i);
      if (cp >= 0xE0020 && cp <= 0xE007E) {
        out.append((char) (cp - 0xE0000));
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }
}
