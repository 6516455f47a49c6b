package dev.llmops.core.prompt;

import java.time.Clock;

class InMemoryPromptStoreTest extends PromptStoreContractTest {
  @Override
  protected PromptStore newStore(Clock clock) {
    return PromptStore.inMemory(clock);
  }
}
