package dev.llmops.core.observe.feedback;

class InMemoryFeedbackStoreTest extends FeedbackStoreContractTest {

  @Override
  FeedbackStore newStore() {
    return FeedbackStore.inMemory();
  }
}
