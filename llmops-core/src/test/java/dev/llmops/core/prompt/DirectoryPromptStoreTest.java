package dev.llmops.core.prompt;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class DirectoryPromptStoreTest extends PromptStoreContractTest {

  @TempDir Path dir;

  @Override
  protected PromptStore newStore(Clock clock) {
    return PromptStore.directory(dir.resolve("prompts"), clock);
  }
}
