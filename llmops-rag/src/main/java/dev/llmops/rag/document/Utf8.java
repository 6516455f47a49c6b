package dev.llmops.rag.document;

import java.io.Serial;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding that says where the first invalid byte is. */
final class Utf8 {

  private Utf8() {}

  /** Whether {@code bytes} starts with a UTF-8 byte order mark at {@code from}. */
  static boolean hasBom(byte[] bytes, int from, int to) {
    return to - from >= 3 && (bytes[from] & 0xFF) == 0xEF && (bytes[from + 1] & 0xFF) == 0xBB
        && (bytes[from + 2] & 0xFF) == 0xBF;
  }

  /**
   * Decodes {@code bytes[from, to)}.
   *
   * @throws Malformed when a byte sequence is not UTF-8, with the array index of its first byte
   */
  static String decode(byte[] bytes, int from, int to) throws Malformed {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
    // UTF-8 never gives more chars than bytes.
    CharBuffer out = CharBuffer.allocate(to - from);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new Malformed(in.position(), bytes[in.position()]);
    }
    decoder.flush(out);
    out.flip();
    return out.toString();
  }

  /** A byte that does not start or continue a valid UTF-8 sequence. */
  static final class Malformed extends Exception {
    @Serial private static final long serialVersionUID = 1L;

    /** The array index of the first bad byte. */
    final int index;

    Malformed(int index, byte value) {
      super(String.format("byte 0x%02X is not valid UTF-8", value & 0xFF), null, false, false);
      this.index = index;
    }
  }
}
