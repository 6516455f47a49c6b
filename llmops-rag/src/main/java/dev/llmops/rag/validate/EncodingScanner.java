package dev.llmops.rag.validate;

/** Finds {@link EncodingIssue}s in a text: for each issue, how often it occurs and where first. */
final class EncodingScanner {

  static final int ISSUES = EncodingIssue.values().length;

  private static final int REPLACEMENT = EncodingIssue.REPLACEMENT_CHARACTER.ordinal();
  private static final int CONTROL = EncodingIssue.CONTROL_CHARACTER.ordinal();
  private static final int SURROGATE = EncodingIssue.UNPAIRED_SURROGATE.ordinal();
  private static final int MOJIBAKE = EncodingIssue.MOJIBAKE.ordinal();

  /** Windows-1252's characters for the bytes 0x80 to 0x9F that it defines. */
  private static final String WINDOWS_1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";

  private EncodingScanner() {}

  /**
   * Scans {@code text}.
   *
   * @param firstOffsets filled with each issue's first offset, by ordinal, or -1 where it does not occur
   * @param counts filled with each issue's number of occurrences, by ordinal
   * @return whether any issue occurs
   */
  static boolean scan(String text, int[] firstOffsets, int[] counts) {
    java.util.Arrays.fill(firstOffsets, -1);
    java.util.Arrays.fill(counts, 0);
    boolean any = false;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20) {
        if (c != '\t' && c != '\n' && c != '\r') {
          any = note(CONTROL, i, firstOffsets, counts);
        }
        continue;
      }
      if (c < 0x7F) {
        continue;
      }
      if (c <= 0x9F) {
        any = note(CONTROL, i, firstOffsets, counts);
      } else if (c == '\uFFFD') {
        any = note(REPLACEMENT, i, firstOffsets, counts);
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          any = note(SURROGATE, i, firstOffsets, counts);
        }
      } else if (Character.isLowSurrogate(c)) {
        any = note(SURROGATE, i, firstOffsets, counts);
      } else {
        int continuations = continuationsAfterLead(c);
        if (continuations > 0 && continues(text, i + 1, continuations)) {
          any = note(MOJIBAKE, i, firstOffsets, counts);
        }
      }
    }
    return any;
  }

  private static boolean note(int issue, int offset, int[] firstOffsets, int[] counts) {
    if (counts[issue]++ == 0) {
      firstOffsets[issue] = offset;
    }
    return true;
  }

  /** How many continuation bytes follow the UTF-8 lead byte that Latin-1 decodes to {@code c}, or 0. */
  private static int continuationsAfterLead(char c) {
    if (c >= 0xC2 && c <= 0xC7 || c == 0xCE || c == 0xCF || c == 0xD0 || c == 0xD1 || c >= 0xD7 && c <= 0xDB) {
      return 1;
    }
    if (c >= 0xE0 && c <= 0xEF) {
      return 2;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      return 3;
    }
    return 0;
  }

  private static boolean continues(String text, int from, int count) {
    if (from + count > text.length()) {
      return false;
    }
    for (int i = from; i < from + count; i++) {
      if (!isContinuation(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether Latin-1 or Windows-1252 decodes a UTF-8 continuation byte (0x80 to 0xBF) to {@code c}. */
  private static boolean isContinuation(char c) {
    return c >= 0x80 && c <= 0xBF || c > 0xFF && WINDOWS_1252_HIGH.indexOf(c) >= 0;
  }
}
