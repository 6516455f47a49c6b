package dev.llmops.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.prompt.Allocation;
import dev.llmops.core.prompt.CacheSettings;
import dev.llmops.core.prompt.Label;
import dev.llmops.core.prompt.MessageTemplate;
import dev.llmops.core.prompt.ModelConfig;
import dev.llmops.core.prompt.PromptDraft;
import dev.llmops.core.prompt.PromptRegistry;
import dev.llmops.core.prompt.PromptStore;
import dev.llmops.core.prompt.PromptVersion;
import dev.llmops.core.prompt.RenderedPrompt;
import dev.llmops.core.prompt.ResolvedPrompt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of site/src/docs/prompts.md; they run as tests. */
class PromptRegistryDocTest {

  @TempDir Path dir;

  @Test
  void createLabelResolveRender() {
    Path promptsDir = dir.resolve("prompts");
    String userId = "user-42";
    String question = "Where is my parcel?";
    // tag::basics[]
    PromptRegistry prompts = PromptRegistry.builder(PromptStore.directory(promptsDir)).build();

    PromptVersion v1 = prompts.create(PromptDraft.builder("support-answer")
        .chat(MessageTemplate.system("You answer for {{company}}. Reply as JSON: {\"answer\": \"...\"}"),
            MessageTemplate.user("{{question}}"))
        .modelConfig(ModelConfig.DEFAULTS.withModel("gpt-4o-mini").withTemperature(0.2))
        .author("ana").message("first version").build());
    prompts.moveLabel("support-answer", "production", v1.version(), "ana", "launch");

    ResolvedPrompt chosen = prompts.resolve("support-answer", "production", userId); // record chosen.ref() in lineage
    RenderedPrompt rendered = prompts.render(chosen.version(), Map.of("company", "Acme", "question", question));
    ChatRequest request = rendered.toChatRequest(); // messages + gpt-4o-mini at temperature 0.2
    // end::basics[]
    assertThat(chosen.ref()).isEqualTo("support-answer@1");
    assertThat(request.messages().get(0).text()).isEqualTo("You answer for Acme. Reply as JSON: {\"answer\": \"...\"}");
    assertThat(request.model()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void canaryAndRollback() {
    PromptRegistry prompts = PromptRegistry.builder(PromptStore.inMemory()).build();
    prompts.create(PromptDraft.builder("support-answer").text("v1 {{q}}").author("ana").build());
    prompts.create(PromptDraft.builder("support-answer").text("v2 {{q}}").author("ana").build());
    prompts.moveLabel("support-answer", "production", 1, "ana", "launch");
    // tag::canary[]
    // 10% of users get v2; the same user always gets the same version.
    prompts.split("support-answer", "production",
        List.of(Allocation.percent(1, 90), Allocation.percent(2, 10)), "ana", "canary v2");

    // v2 misbehaves: one call puts the label back where it was, and the history says who and why.
    Label restored = prompts.rollback("support-answer", "production", "bo", "v2 cites wrong sources");
    // end::canary[]
    assertThat(restored.version()).isEqualTo(1);
    assertThat(prompts.history("support-answer", "production")).hasSize(3);
  }

  @Test
  void cache() {
    PromptStore shared = PromptStore.directory(dir.resolve("shared"));
    // tag::cache[]
    PromptStore store = PromptStore.cached(shared, CacheSettings.ttl(Duration.ofSeconds(30)));
    PromptRegistry prompts = PromptRegistry.builder(store).build();
    // end::cache[]
    prompts.create(PromptDraft.builder("p").text("x").author("a").build());
    assertThat(prompts.latest("p").version()).isEqualTo(1);
    prompts.close();
  }
}
