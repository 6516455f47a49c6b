package dev.llmops.rag.document;

import dev.llmops.core.InvalidRequestException;
import java.nio.file.Path;
import java.util.List;

/** Picks a stock loader by file extension. */
final class ExtensionLoader implements DocumentLoader {

  static final ExtensionLoader DEFAULT = new ExtensionLoader(DEFAULT_MAX_BYTES);

  private static final String KNOWN = ".htm, .html, .log, .markdown, .md, .pdf, .text, .txt";

  private final List<FileLoader> loaders;

  private ExtensionLoader(long maxBytes) {
    this.loaders = List.of(TextLoader.PLAIN.withMaxBytes(maxBytes), TextLoader.MARKDOWN.withMaxBytes(maxBytes),
        HtmlLoader.DEFAULT.withMaxBytes(maxBytes), PdfLoader.DEFAULT.withMaxBytes(maxBytes));
  }

  @Override
  public Document load(Path file, String id) {
    FileLoader.checkId(file, id);
    for (FileLoader loader : loaders) {
      if (loader.supports(file)) {
        return loader.load(file, id);
      }
    }
    String extension = FileLoader.extension(file);
    throw new InvalidRequestException("file " + file
        + (extension.isEmpty() ? " has no extension" : " has the unknown extension ." + extension)
        + "; DocumentLoader.byExtension() reads " + KNOWN);
  }

  @Override
  public boolean supports(Path file) {
    for (FileLoader loader : loaders) {
      if (loader.supports(file)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public ExtensionLoader withMaxBytes(long maxBytes) {
    return new ExtensionLoader(FileLoader.checkMaxBytes(maxBytes));
  }

  @Override
  public String toString() {
    return "DocumentLoader.byExtension() for " + KNOWN + " files";
  }
}
