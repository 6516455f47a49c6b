package dev.llmops.rag.index;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

class LuceneIndexContractTest extends DocumentIndexContractTest {
  @TempDir Path dir;
  private final AtomicInteger count = new AtomicInteger();

  @Override
  protected DocumentIndex newIndex(IndexSettings settings) {
    return DocumentIndex.lucene(dir.resolve("index" + count.incrementAndGet()), settings);
  }
}
