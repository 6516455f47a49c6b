package dev.llmops.rag.document;

import dev.llmops.core.InvalidRequestException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Plain text and Markdown: strict UTF-8, without a byte order mark; Markdown adds headings as sections. */
final class TextLoader extends FileLoader {

  static final TextLoader PLAIN = new TextLoader(false, DEFAULT_MAX_BYTES);
  static final TextLoader MARKDOWN = new TextLoader(true, DEFAULT_MAX_BYTES);

  private final boolean markdown;

  private TextLoader(boolean markdown, long maxBytes) {
    super(markdown ? "DocumentLoader.markdown()" : "DocumentLoader.plainText()", maxBytes,
        markdown ? Set.of("md", "markdown") : Set.of("txt", "text", "log"));
    this.markdown = markdown;
  }

  @Override
  public TextLoader withMaxBytes(long maxBytes) {
    return new TextLoader(markdown, checkMaxBytes(maxBytes));
  }

  @Override
  Document read(Path file, String id) {
    String text = decode(file, readBytes(file, maxBytes()));
    if (!markdown) {
      return documentOf(file, id, text, "text/plain").title(baseName(file)).build();
    }
    Outline outline = Outline.of(text);
    return documentOf(file, id, text, "text/markdown")
        .title(outline.title == null ? baseName(file) : outline.title)
        .sectionStarts(outline.headingStarts)
        .build();
  }

  /** Decodes a whole file as strict UTF-8 without its byte order mark. */
  static String decode(Path file, byte[] bytes) {
    int from = Utf8.hasBom(bytes, 0, bytes.length) ? 3 : 0;
    try {
      return Utf8.decode(bytes, from, bytes.length);
    } catch (Utf8.Malformed e) {
      int line = 1;
      for (int i = 0; i < e.index; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new InvalidRequestException("file " + file + " is not UTF-8: " + e.getMessage() + " at byte offset "
          + e.index + " (line " + line + ")", e);
    }
  }

  /** Where the ATX headings of a Markdown text start, and its first level-1 heading. */
  private static final class Outline {
    final List<Integer> headingStarts = new ArrayList<>();
    @Nullable String title;

    static Outline of(String text) {
      Outline outline = new Outline();
      char fence = 0;
      int fenceLength = 0;
      int start = 0;
      int length = text.length();
      while (start < length) {
        int end = start;
        while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
          end++;
        }
        String line = text.substring(start, end);
        int indent = 0;
        while (indent < line.length() && indent < 4 && line.charAt(indent) == ' ') {
          indent++;
        }
        if (indent < 4) {
          String rest = line.substring(indent);
          if (fence != 0) {
            int run = run(rest, fence);
            if (run >= fenceLength && rest.substring(run).isBlank()) {
              fence = 0;
            }
          } else if (opensFence(rest)) {
            fence = rest.charAt(0);
            fenceLength = run(rest, fence);
          } else {
            outline.heading(rest, start);
          }
        }
        if (end == length) {
          start = length;
        } else if (text.charAt(end) == '\r' && end + 1 < length && text.charAt(end + 1) == '\n') {
          start = end + 2;
        } else {
          start = end + 1;
        }
      }
      return outline;
    }

    private void heading(String rest, int lineStart) {
      int level = run(rest, '#');
      if (level < 1 || level > 6 || level < rest.length() && rest.charAt(level) != ' ' && rest.charAt(level) != '\t') {
        return;
      }
      headingStarts.add(lineStart);
      if (level == 1 && title == null) {
        String content = rest.substring(1).strip();
        int closing = content.length();
        while (closing > 0 && content.charAt(closing - 1) == '#') {
          closing--;
        }
        if (closing == 0 || content.charAt(closing - 1) == ' ' || content.charAt(closing - 1) == '\t') {
          content = content.substring(0, closing).strip();
        }
        if (!content.isEmpty()) {
          title = content;
        }
      }
    }

    private static boolean opensFence(String rest) {
      if (rest.isEmpty() || rest.charAt(0) != '`' && rest.charAt(0) != '~') {
        return false;
      }
      char c = rest.charAt(0);
      int run = run(rest, c);
      // A backtick fence's info string may not contain a backtick (that line is inline code instead).
      return run >= 3 && (c == '~' || rest.indexOf('`', run) < 0);
    }

    private static int run(String s, char c) {
      int i = 0;
      while (i < s.length() && s.charAt(i) == c) {
        i++;
      }
      return i;
    }
  }
}
