package dev.llmops.rag.document;

import dev.llmops.core.InvalidRequestException;
import java.nio.file.Path;

/**
 * Reads one file into a {@link Document}. The stock loaders read plain text, Markdown, HTML and PDF; {@link
 * #byExtension()} picks one of them by the file's extension, and {@link FolderLoader} applies a loader to every
 * file of a folder.
 *
 * <pre>{@code
 * DocumentLoader loader = DocumentLoader.byExtension().withMaxBytes(200L << 20);
 * Document manual = loader.load(Path.of("docs/manual.pdf"), "manual.pdf");
 * }</pre>
 *
 * <p>Every stock loader sets the document's {@code source} to the file's path as given, its metadata {@code
 * content_type} (the media type) and {@code file_name}, and refuses a file larger than its byte limit ({@value
 * #DEFAULT_MAX_BYTES} bytes unless {@link #withMaxBytes changed}) before reading any of it. The stock loaders
 * are immutable and safe to share across threads.
 */
public interface DocumentLoader {

  /** The byte limit of the stock loaders, 50 MiB. */
  long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;

  /**
   * Reads {@code file} into a document with id {@code id}.
   *
   * @param file the file to read
   * @param id the document's id (for example the file's path relative to a corpus root)
   * @return the document
   * @throws InvalidRequestException when the file is missing, too large, not in the expected format or cannot
   *     be decoded; the message names the file and what was wrong with it
   * @throws IllegalArgumentException when {@code id} is blank
   */
  Document load(Path file, String id);

  /**
   * Whether this loader reads files like {@code file}, judged by its name only. {@link FolderLoader} skips the
   * files a loader does not support; {@link #load} does not consult it.
   *
   * @param file a file name or path
   * @return true unless the loader knows it cannot read such files; this default supports every file
   */
  default boolean supports(Path file) {
    return true;
  }

  /**
   * This loader with a byte limit: files larger than {@code maxBytes} fail with an {@link
   * InvalidRequestException} before any of their bytes are read. For the stock loaders this replaces their
   * limit (which may be raised as well as lowered); for any other loader the returned one checks the size and
   * then delegates, so a second call can only lower the limit.
   *
   * @param maxBytes the largest file size accepted, at least 1
   * @return a loader with the limit
   * @throws IllegalArgumentException when {@code maxBytes} is below 1
   */
  default DocumentLoader withMaxBytes(long maxBytes) {
    return new SizeLimitedLoader(this, FileLoader.checkMaxBytes(maxBytes));
  }

  /**
   * Plain UTF-8 text ({@code text/plain}). The bytes must be valid UTF-8 (a byte order mark is dropped); the
   * first invalid byte fails the file with its offset. The title is the file name without its extension; the
   * document has no sections. Supports {@code .txt}, {@code .text} and {@code .log} files.
   */
  static DocumentLoader plainText() {
    return TextLoader.PLAIN;
  }

  /**
   * Markdown ({@code text/markdown}), decoded as strictly as {@link #plainText()}. The text is the Markdown
   * source unchanged, so offsets point into it. Sections start at ATX heading lines ({@code #} to {@code ######}
   * followed by a space, a tab or the line end, indented at most three spaces) outside fenced code blocks
   * ({@code ```} or {@code ~~~}); setext headings (underlined with {@code ===} or {@code ---}) are not
   * recognised. The title is the text of the first level-1 heading, else the file name without its extension.
   * Supports {@code .md} and {@code .markdown} files.
   */
  static DocumentLoader markdown() {
    return TextLoader.MARKDOWN;
  }

  /**
   * HTML ({@code text/html}) parsed with jsoup, which takes the charset from a byte order mark or a
   * {@code <meta charset>} and falls back to UTF-8 (undecodable bytes become U+FFFD, as in a browser). The text
   * is the readable content: block elements (paragraphs, list items, headings, table rows, ...) are separated by a
   * blank line, other whitespace collapses to one space, {@code <pre>} content is kept verbatim, {@code <br>}
   * breaks the line, and {@code head}, {@code script}, {@code style}, {@code noscript}, {@code template}, {@code
   * nav}, {@code svg} and elements with the {@code hidden} attribute are left out. Sections start where each
   * non-empty {@code h1}-{@code h6} starts. The title is the {@code <title>}, else the first {@code h1}, else the
   * file name without its extension. Supports {@code .html} and {@code .htm} files.
   */
  static DocumentLoader html() {
    return HtmlLoader.DEFAULT;
  }

  /**
   * PDF ({@code application/pdf}) read with PDFBox. The text is each page's text, pages joined by a blank line
   * ({@code "\n\n"}); {@link Document#pageStarts()} has one entry per page, empty pages included, so {@link
   * Document#pageAt} names the page of any offset. The title is the document information title when it is not
   * blank, else the file name without its extension. Encrypted (password-protected) and malformed files fail
   * with PDFBox's reason. Supports {@code .pdf} files.
   */
  static DocumentLoader pdf() {
    return PdfLoader.DEFAULT;
  }

  /**
   * Picks the stock loader by the file's extension, ignoring case: {@code .txt}, {@code .text}, {@code .log}:
   * {@link #plainText()}; {@code .md}, {@code .markdown}: {@link #markdown()}; {@code .html}, {@code .htm}:
   * {@link #html()}; {@code .pdf}: {@link #pdf()}. Another extension fails with an {@link
   * InvalidRequestException} naming the file and the known extensions.
   */
  static DocumentLoader byExtension() {
    return ExtensionLoader.DEFAULT;
  }
}
