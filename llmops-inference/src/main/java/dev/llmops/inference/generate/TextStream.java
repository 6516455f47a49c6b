package dev.llmops.inference.generate;

import java.util.List;
import java.util.function.Function;

/**
 * Turns a growing list of token ids into text pieces that never split a character and never show the start of a
 * stop sequence before it is known not to be one.
 *
 * <p>Decoding one token at a time is wrong for byte-level vocabularies (a character's bytes can span tokens) and for
 * WordPiece ({@code ##} joins with the previous token), so each step decodes a short window of tokens twice, with
 * and without the newest, and emits the difference once it does not end in a replacement character (the approach of
 * Hugging Face's text-generation-inference). Stop sequences are searched in the decoded text; the text ends before
 * the first one. Used by one thread.
 */
final class TextStream {

  private static final char REPLACEMENT = '\uFFFD';
  private static final int HOLD_BACK = 8;

  private final Function<int[], String> decoder;
  private final List<String> stops;
  private int[] ids = new int[16];
  private int size;
  private int prefixOffset;
  private int readOffset;
  private final StringBuilder text = new StringBuilder();
  private int emitted;
  private boolean stopped;

  /**
   * @param decoder decodes ids to text, skipping special tokens
   * @param stops the stop sequences
   */
  TextStream(Function<int[], String> decoder, List<String> stops) {
    this.decoder = decoder;
    this.stops = stops;
  }

  /**
   * Adds a token; returns the text that may be shown now (often empty). After a stop sequence appears,
   * {@link #stopped()} is true and the text ends before it.
   */
  String add(int token) {
    if (stopped) {
      throw new IllegalStateException("the text already ended at a stop sequence");
    }
    if (size == ids.length) {
      ids = java.util.Arrays.copyOf(ids, size * 2);
    }
    ids[size++] = token;
    String before = decoder.apply(java.util.Arrays.copyOfRange(ids, prefixOffset, readOffset));
    String after = decoder.apply(java.util.Arrays.copyOfRange(ids, prefixOffset, size));
    // A character is at most 4 bytes: a replacement character still there after 8 held-back tokens is an invalid
    // byte sequence for good, shown as such rather than holding the stream back for ever.
    boolean incomplete = !after.isEmpty() && after.charAt(after.length() - 1) == REPLACEMENT
        && size - readOffset < HOLD_BACK;
    if (after.length() > before.length() && !incomplete) {
      int searchFrom = text.length();
      text.append(after, before.length(), after.length());
      prefixOffset = readOffset;
      readOffset = size;
      cutAtStop(searchFrom);
    }
    return take(stopped ? text.length() : safeEnd());
  }

  /** The rest of the text, at the end of generation (no stop sequence can start in it any more). */
  String flush() {
    if (!stopped && readOffset < size) { // tokens held back for an incomplete character: show what they decode to
      String before = decoder.apply(java.util.Arrays.copyOfRange(ids, prefixOffset, readOffset));
      String after = decoder.apply(java.util.Arrays.copyOfRange(ids, prefixOffset, size));
      if (after.length() > before.length()) {
        int searchFrom = text.length();
        text.append(after, before.length(), after.length());
        cutAtStop(searchFrom);
      }
      prefixOffset = readOffset;
      readOffset = size;
    }
    return take(text.length());
  }

  /** Whether a stop sequence ended the text. */
  boolean stopped() {
    return stopped;
  }

  /** The text so far (up to a stop sequence). */
  String text() {
    return text.toString();
  }

  private void cutAtStop(int searchFrom) {
    int first = -1;
    for (String stop : stops) {
      int at = text.indexOf(stop, Math.max(0, searchFrom - stop.length() + 1));
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    if (first >= 0) {
      text.setLength(first);
      stopped = true;
    }
  }

  /** The end of the text that cannot turn out to be the start of a stop sequence. */
  private int safeEnd() {
    int end = text.length();
    for (String stop : stops) {
      for (int k = Math.min(stop.length() - 1, text.length() - emitted); k > 0; k--) {
        if (text.substring(text.length() - k).equals(stop.substring(0, k))) {
          end = Math.min(end, text.length() - k);
          break;
        }
      }
    }
    if (end > emitted && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  private String take(int end) {
    if (end <= emitted) {
      return "";
    }
    String piece = text.substring(emitted, end);
    emitted = end;
    return piece;
  }
}
