package dev.llmops.core.routing;

/** The contract suite on {@link LimitStore#inMemory()}. */
class InMemoryLimitStoreTest extends LimitStoreContractTest {
  @Override
  protected LimitStore newStore() {
    return LimitStore.inMemory();
  }
}
