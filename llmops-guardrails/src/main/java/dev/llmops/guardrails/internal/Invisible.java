package dev.llmops.guardrails.internal;

/** Characters that render as nothing (or reorder text) and so can hide instructions from a human reader. */
public final class Invisible {

  private Invisible() {}

  /**
   * Whether {@code cp} is invisible: format characters (zero-width space and joiners, bidirectional controls,
   * soft hyphen, word joiner, BOM), Unicode tag characters, variation selectors, and control characters other
   * than tab, line feed and carriage return.
   */
  public static boolean isInvisible(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    if (isBidiControl(cp) || isTag(cp)) {
      return true;
    }
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF)) {
      return true; // variation selectors
    }
    if (cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x2800) {
      return true; // Hangul fillers and the braille blank render as empty space
    }
    int type = Character.getType(cp);
    return type == Character.FORMAT || type == Character.CONTROL;
  }

  /** Whether {@code cp} is a bidirectional embedding, override or isolate control (the "Trojan Source" set). */
  public static boolean isBidiControl(int cp) {
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F
        || cp == 0x061C;
  }

  /** Whether {@code cp} is a Unicode tag character (U+E0000..U+E007F), which can smuggle ASCII invisibly. */
  public static boolean isTag(int cp) {
    return cp >= 0xE0000 && cp <= 0xE007F;
  }
}
