package dev.llmops.rag.index;

class InMemoryIndexTest extends DocumentIndexContractTest {
  @Override
  protected DocumentIndex newIndex(IndexSettings settings) {
    return DocumentIndex.inMemory(settings);
  }
}
