package dev.llmops.core;

/**
 * A half-open range of UTF-16 character offsets {@code [start, end)} in some text, as used by
 * {@link String#substring(int, int)}. Citations point at the source with it, and guard findings point at
 * what they found.
 *
 * @param start the first character, from 0
 * @param end one past the last character; {@code end >= start}
 */
public record TextSpan(int start, int end) {

  /** Validates the range. */
  public TextSpan {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("a span needs 0 <= start <= end but was [" + start + ", " + end + ")");
    }
  }

  /** The number of characters in the span. */
  public int length() {
    return end - start;
  }

  /**
   * The characters of {@code text} this span covers.
   *
   * @param text the text the span was taken from
   * @return the covered substring
   * @throws IllegalArgumentException if the span reaches past the end of {@code text}
   */
  public String of(CharSequence text) {
    if (end > text.length()) {
      throw new IllegalArgumentException(
          "span [" + start + ", " + end + ") reaches past the end of a text of length " + text.length());
    }
    return text.subSequence(start, end).toString();
  }
}
