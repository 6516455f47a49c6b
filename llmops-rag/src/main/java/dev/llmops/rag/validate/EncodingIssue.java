package dev.llmops.rag.validate;

/**
 * Damage in a document's text that usually comes from decoding it with the wrong charset or from a broken
 * extractor. Offsets that findings report are {@code char} offsets into
 * {@link dev.llmops.rag.document.Document#text()}.
 */
public enum EncodingIssue {

  /** U+FFFD, which a decoder writes where the bytes were invalid in the charset it assumed. */
  REPLACEMENT_CHARACTER("replacement character U+FFFD"),

  /** A C0 control (U+0000 to U+001F) other than tab, line feed and carriage return, DEL (U+007F), or a C1 control
   * (U+0080 to U+009F). */
  CONTROL_CHARACTER("control character"),

  /** A high surrogate that no low surrogate follows, or a low surrogate that no high surrogate precedes. */
  UNPAIRED_SURROGATE("unpaired surrogate"),

  /**
   * UTF-8 bytes decoded as Latin-1 or Windows-1252: a lead character that such a decoding gives for a UTF-8 lead
   * byte ({@code Â Ã Ä Å Æ Ç}, {@code Î Ï} for Greek, {@code Ð Ñ} for Cyrillic, {@code × Ø Ù Ú Û} for Hebrew and
   * Arabic; {@code à} to {@code ï} for three-byte and {@code ð} to {@code ô} for four-byte sequences) followed by as
   * many characters that such a decoding gives for continuation bytes (U+0080 to U+00BF and the Windows-1252
   * punctuation {@code € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ}), as in {@code "cafÃ©"} for
   * {@code "café"} or {@code "â€™"} for {@code "’"}. A heuristic: a word in capitals ending in one of the two-byte
   * lead letters right before a closing quote ({@code «Å»}) is flagged too.
   */
  MOJIBAKE("mojibake (UTF-8 read as Latin-1 or Windows-1252)");

  private final String description;

  EncodingIssue(String description) {
    this.description = description;
  }

  /** What the issue is, in words for a report. */
  public String description() {
    return description;
  }
}
