package dev.llmops.test;

import dev.llmops.core.prompt.PromptDraft;
import dev.llmops.core.prompt.PromptRegistry;
import dev.llmops.core.prompt.PromptStore;
import dev.llmops.core.prompt.PromptVersion;
import java.time.Clock;

/**
 * Prompt registries for tests: the in-memory {@link PromptStore} on a {@link FakeClock}, and a one-line way to get
 * a registry that already serves a prompt through its {@code production} label.
 *
 * <pre>{@code
 * PromptRegistry prompts = PromptFixtures.registryWith("support-answer", "Answer {{question}} briefly.");
 * // code under test resolves "support-answer" via "production" and renders it
 * }</pre>
 */
public final class PromptFixtures {

  private PromptFixtures() {}

  /** An empty in-memory store that stamps versions and label moves with {@code clock}. */
  public static PromptStore inMemoryStore(Clock clock) {
    return PromptStore.inMemory(clock);
  }

  /** An empty in-memory store on a {@link FakeClock} at {@link FakeClock#DEFAULT_START}. */
  public static PromptStore inMemoryStore() {
    return PromptStore.inMemory(FakeClock.create());
  }

  /** A registry over a new in-memory store with version 1 of {@code name} as a text template, labelled production. */
  public static PromptRegistry registryWith(String name, String template) {
    PromptRegistry registry = PromptRegistry.builder(inMemoryStore()).build();
    PromptVersion v1 = registry.create(PromptDraft.builder(name).text(template).author("test").message("fixture").build());
    registry.moveLabel(name, "production", v1.version(), "test", "fixture");
    return registry;
  }
}
