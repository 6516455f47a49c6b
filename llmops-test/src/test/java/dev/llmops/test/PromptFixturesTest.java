package dev.llmops.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.prompt.PromptRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptFixturesTest {

  @Test
  void aRegistryServesThePromptThroughProduction() {
    PromptRegistry registry = PromptFixtures.registryWith("support-answer", "Answer {{question}} briefly.");

    assertThat(registry.resolve("support-answer", "production").ref()).isEqualTo("support-answer@1");
    assertThat(registry.render("support-answer", "production", "user-1", Map.of("question", "why")).text())
        .isEqualTo("Answer why briefly.");
    assertThat(registry.latest("support-answer").createdAt()).isEqualTo(FakeClock.DEFAULT_START);
  }
}
