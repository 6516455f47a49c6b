package dev.llmops.rag.validate;

import java.text.Normalizer;

/**
 * How the validator reads a text: Unicode NFC, what counts as blank, as a word, as the same text, and the character
 * shingles that near-duplicate detection compares.
 *
 * <p>A word is a run of letters, digits and combining marks; a Han, Hiragana or Katakana character is a word of its
 * own, since those scripts are written without spaces. Thai and other unspaced scripts count one word per run, so
 * their documents measure short.
 */
final class Texts {

  /** Code points per shingle. */
  static final int SHINGLE = 5;

  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private Texts() {}

  /** {@code text} in Unicode normalization form C (the same instance when it already is). */
  static String nfc(String text) {
    return Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
  }

  /**
   * Whitespace as {@link Character#isWhitespace(int)} or {@link Character#isSpaceChar(int)} (which adds no-break
   * spaces).
   */
  static boolean isSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  /** Whether {@code text} holds nothing but whitespace. */
  static boolean isBlank(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (!isSpace(cp)) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }

  /**
   * A 64-bit hash of {@code nfc} trimmed, with each run of whitespace collapsed to one space and lower-cased code
   * point by code point: texts that differ only in those respects get the same key.
   */
  static long exactKey(String nfc) {
    long h = 0x9E3779B97F4A7C15L;
    int length = 0;
    boolean pendingSpace = false;
    for (int i = 0; i < nfc.length(); ) {
      int cp = nfc.codePointAt(i);
      i += Character.charCount(cp);
      if (isSpace(cp)) {
        pendingSpace = length > 0;
        continue;
      }
      if (pendingSpace) {
        h = step(h, ' ');
        length++;
        pendingSpace = false;
      }
      h = step(h, Character.toLowerCase(cp));
      length++;
    }
    return fmix(h ^ length);
  }

  /** Whether {@code cp} belongs to a word: a letter, a digit or a combining mark. */
  static boolean isWordPart(int cp) {
    return Character.isLetterOrDigit(cp) || isMark(cp);
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** Whether {@code cp} is a word by itself: Han, Hiragana or Katakana. */
  static boolean isWordByItself(int cp) {
    if (cp < 0x2E80) {
      return false;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA;
  }

  /** The number of words in {@code nfc} (see the class comment). */
  static int countWords(String nfc) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < nfc.length(); ) {
      int cp = nfc.codePointAt(i);
      i += Character.charCount(cp);
      if (!isWordPart(cp)) {
        inWord = false;
      } else if (isWordByItself(cp)) {
        words++;
        inWord = false;
      } else if (!inWord && !isMark(cp)) {
        words++;
        inWord = true;
      }
    }
    return words;
  }

  /**
   * Feeds {@code hasher} the shingles of {@code nfc}: every {@value #SHINGLE} consecutive code points of its words,
   * lower-cased and joined by single spaces (punctuation and spacing do not count). A text shorter than that is one
   * shingle; a text without words has none.
   */
  static void shingle(String nfc, MinHasher hasher) {
    int[] window = new int[SHINGLE];
    int emitted = 0;
    boolean pendingSpace = false;
    for (int i = 0; i < nfc.length(); ) {
      int cp = nfc.codePointAt(i);
      i += Character.charCount(cp);
      if (!isWordPart(cp)) {
        pendingSpace = emitted > 0;
        continue;
      }
      if (pendingSpace) {
        window[emitted++ % SHINGLE] = ' ';
        if (emitted >= SHINGLE) {
          hasher.add(hashWindow(window, emitted, SHINGLE));
        }
        pendingSpace = false;
      }
      window[emitted++ % SHINGLE] = Character.toLowerCase(cp);
      if (emitted >= SHINGLE) {
        hasher.add(hashWindow(window, emitted, SHINGLE));
      }
    }
    if (emitted > 0 && emitted < SHINGLE) {
      hasher.add(hashWindow(window, emitted, emitted));
    }
  }

  /** Hashes the last {@code size} code points written to the ring {@code window}, oldest first. */
  private static long hashWindow(int[] window, int written, int size) {
    long h = 0x2545F4914F6CDD1DL;
    for (int k = written - size; k < written; k++) {
      h = step(h, window[k % SHINGLE]);
    }
    return fmix(h ^ size);
  }

  /** One round of MurmurHash3's 64-bit mixing for one code point. */
  private static long step(long h, int cp) {
    long k = cp * C1;
    k = Long.rotateLeft(k, 31) * C2;
    h ^= k;
    return Long.rotateLeft(h, 27) * 5 + 0x52dce729;
  }

  /** MurmurHash3's 64-bit finaliser. */
  static long fmix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
