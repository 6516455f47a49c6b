package dev.llmops.rag.document;

import java.nio.file.Path;

/** A loader that is not a stock one, behind a size check. */
final class SizeLimitedLoader implements DocumentLoader {
  private final DocumentLoader delegate;
  private final long maxBytes;

  SizeLimitedLoader(DocumentLoader delegate, long maxBytes) {
    this.delegate = delegate;
    this.maxBytes = maxBytes;
  }

  @Override
  public Document load(Path file, String id) {
    FileLoader.checkSize(file, maxBytes);
    return delegate.load(file, id);
  }

  @Override
  public boolean supports(Path file) {
    return delegate.supports(file);
  }

  @Override
  public String toString() {
    return delegate + " for files of at most " + maxBytes + " bytes";
  }
}
