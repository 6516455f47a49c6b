package dev.llmops.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Reads UTF-8 lines one at a time from a stream, so that a line that is not valid UTF-8 or is too long fails on
 * its own instead of ending the whole read (a {@code BufferedReader} over a strict decoder would throw for the
 * rest of the file; a lenient one would turn bad bytes into U+FFFD without a word). Holds one line in memory.
 * Not thread-safe; does not close the stream.
 */
final class LineReader {

  /** A line, numbered from 1: its text, or why it has none. */
  sealed interface Line permits Text, Unreadable {
    /** The line number, from 1. */
    long number();
  }

  /** A decoded line, without its line terminator ({@code \n} or {@code \r\n}). */
  record Text(long number, String text) implements Line {}

  /** A line that could not be decoded; {@code problem} says why. */
  record Unreadable(long number, String problem) implements Line {}

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[64 * 1024];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
  private int position;
  private int limit;
  private long number;

  /**
   * A reader of {@code in}.
   *
   * @param maxLineBytes the longest line kept; a longer one is skipped and reported as {@link Unreadable}
   */
  LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line, or {@code null} at the end of the stream. */
  @Nullable Line next() throws IOException {
    line.reset();
    boolean tooLong = false;
    boolean any = false;
    while (true) {
      if (position == limit) {
        int read = in.read(buffer);
        position = 0;
        limit = Math.max(read, 0);
        if (read < 0) {
          if (!any) {
            return null;
          }
          break; // the last line has no terminator
        }
        continue;
      }
      any = true;
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      int length = position - start;
      if (!tooLong) {
        if (line.size() + length > maxLineBytes) {
          tooLong = true; // skip to the end of the line without keeping it
          line.reset();
        } else {
          line.write(buffer, start, length);
        }
      }
      if (position < limit) {
        position++; // the '\n'
        break;
      }
    }
    number++;
    if (tooLong) {
      return new Unreadable(number, "the line is longer than " + maxLineBytes + " bytes");
    }
    byte[] bytes = line.toByteArray();
    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    int offset = number == 1 && length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf ? 3 : 0; // a UTF-8 byte order mark
    try {
      return new Text(number, decoder.decode(ByteBuffer.wrap(bytes, offset, length - offset)).toString());
    } catch (CharacterCodingException e) {
      return new Unreadable(number, "the line is not valid UTF-8");
    }
  }

  /**
   * The number of lines of {@code file} that hold something other than white space: the rows a JSON Lines
   * reader will see. One pass over the bytes, nothing decoded.
   */
  static long countRows(Path file) throws IOException {
    long rows = 0;
    boolean content = false;
    byte[] chunk = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int read; (read = in.read(chunk)) >= 0; ) {
        for (int i = 0; i < read; i++) {
          byte b = chunk[i];
          if (b == '\n') {
            if (content) {
              rows++;
            }
            content = false;
          } else if (b != ' ' && b != '\t' && b != '\r') {
            content = true;
          }
        }
      }
    }
    return content ? rows + 1 : rows;
  }
}
