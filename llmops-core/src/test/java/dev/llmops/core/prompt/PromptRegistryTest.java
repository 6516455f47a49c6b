package dev.llmops.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmops.core.ConflictException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ResponseFormat;
import dev.llmops.core.chat.Role;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptRegistryTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final PromptRegistry registry = PromptRegistry.builder(PromptStore.inMemory()).meterRegistry(meters).build();

  private PromptVersion create(String name, String text) {
    return registry.create(PromptDraft.builder(name).text(text).author("ana").build());
  }

  @Test
  void rendersVariablesSectionsAndListsWithoutEscaping() {
    PromptVersion v = create("p", "Dear {{name}} & co,{{#items}}\n- {{title}} <{{price}}>{{/items}}{{^items}} nothing{{/items}}");

    String text = registry.render(v, Map.of("name", "Ana <admin>", "items",
        List.of(Map.of("title", "Tea", "price", "3"), Map.of("title", "Cake", "price", "5")))).text();

    assertThat(text).isEqualTo("Dear Ana <admin> & co,\n- Tea <3>\n- Cake <5>");
    assertThat(registry.render(v, Map.of("name", "Bo", "items", List.of())).text()).isEqualTo("Dear Bo & co, nothing");
  }

  @Test
  void leavesLiteralBracesAndEmbeddedJsonUntouched() {
    String template = "Answer as JSON like {\"answer\": {\"text\": \"...\", \"sources\": [{\"id\": 1}]}} for {{q}}. "
        + "Single braces { } and closing }} stay; {{=<% %>=}}literal {{double}} braces<%={{ }}=%> too.";
    PromptVersion v = create("json", template);

    String text = registry.render(v, Map.of("q", "the question")).text();

    assertThat(text).isEqualTo("Answer as JSON like {\"answer\": {\"text\": \"...\", \"sources\": [{\"id\": 1}]}} for "
        + "the question. Single braces { } and closing }} stay; literal {{double}} braces too.");
  }

  @Test
  void namesEveryMissingVariableAndRefusesUnknownOnes() {
    PromptVersion v = registry.create(PromptDraft.builder("p").text("{{greeting}} {{name}}, about {{topic}}")
        .variable(VariableSpec.optional("greeting", "Hello")).variables("name", "topic").author("ana").build());

    assertThatThrownBy(() -> registry.render(v, Map.of()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("p@1").hasMessageContaining("name, topic");
    assertThat(registry.render(v, Map.of("name", "Ana", "topic", "tea")).text()).isEqualTo("Hello Ana, about tea");
    assertThatThrownBy(() -> registry.render(v, Map.of("name", "Ana", "topic", "tea", "nmae", "typo")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("unknown variable nmae");

    PromptRegistry lenient = PromptRegistry.builder(registry.store()).allowUnknownVariables(true).build();
    assertThat(lenient.render(v, Map.of("name", "Ana", "topic", "tea", "extra", "x")).text()).isEqualTo("Hello Ana, about tea");
    assertThat(meters.counter("llmops.prompt.renders", "outcome", "ok").count()).isEqualTo(1);
    assertThat(meters.counter("llmops.prompt.renders", "outcome", "error").count()).isEqualTo(2);
  }

  @Test
  void aValueUsedOnlyInsideASectionIsNotUnknown() {
    PromptVersion v = create("list", "{{#items}}- {{name}}{{suffix}}\n{{/items}}");
    assertThat(v.variables()).extracting(VariableSpec::name).containsExactly("items");

    String text = registry.render(v, Map.of("items", List.of(Map.of("name", "a"), Map.of("name", "b")), "suffix", "!")).text();

    assertThat(text).isEqualTo("- a!\n- b!\n");
  }

  @Test
  void rollbackBehindACacheWorksAfterAnotherProcessMovedTheLabel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    PromptStore processA = PromptStore.directory(dir);
    PromptRegistry cached = PromptRegistry.builder(PromptStore.cached(PromptStore.directory(dir),
        CacheSettings.ttl(java.time.Duration.ofMinutes(5)))).build();
    PromptRegistry a = PromptRegistry.builder(processA).build();
    a.create(PromptDraft.builder("p").text("one").author("a").build());
    a.create(PromptDraft.builder("p").text("two").author("a").build());
    a.moveLabel("p", "production", 1, "a", "launch");
    assertThat(cached.resolve("p", "production").ref()).isEqualTo("p@1"); // cached at revision 1
    a.moveLabel("p", "production", 2, "a", "upgrade");                      // another process moves it

    Label back = cached.rollback("p", "production", "b", "upgrade broke things");

    assertThat(back.version()).isEqualTo(1);
    assertThat(cached.resolve("p", "production").ref()).isEqualTo("p@1");
  }

  @Test
  void refusesATemplateThatUsesUndeclaredVariables() {
    assertThatThrownBy(() -> registry.create(PromptDraft.builder("p").text("{{a}} {{b}}").variables("a").author("x").build()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("[b]");
    assertThat(registry.prompts()).isEmpty();
  }

  @Test
  void chatTemplatesRenderToMessagesAndCarryTheirModelSettings() {
    ModelConfig config = ModelConfig.DEFAULTS.withModel("gpt-4o-mini").withTemperature(0.1).withMaxTokens(200)
        .withStop(List.of("###")).withResponseFormat(ResponseFormat.jsonObject());
    PromptVersion v = registry.create(PromptDraft.builder("support")
        .chat(MessageTemplate.system("You work for {{company}}."), MessageTemplate.assistant("Hi!"),
            MessageTemplate.user("{{question}}"))
        .modelConfig(config).author("ana").build());

    RenderedPrompt rendered = registry.render(v, Map.of("company", "Acme", "question", "Where is my order?"));
    ChatRequest request = rendered.toChatRequest();

    assertThat(rendered.ref()).isEqualTo("support@1");
    assertThat(rendered.messages()).extracting(ChatMessage::role).containsExactly(Role.SYSTEM, Role.ASSISTANT, Role.USER);
    assertThat(request.messages().get(0).text()).isEqualTo("You work for Acme.");
    assertThat(request.lastUserText()).isEqualTo("Where is my order?");
    assertThat(request.model()).isEqualTo("gpt-4o-mini");
    assertThat(request.temperature()).isEqualTo(0.1);
    assertThat(request.maxTokens()).isEqualTo(200);
    assertThat(request.stop()).containsExactly("###");
    assertThat(request.responseFormat()).isEqualTo(ResponseFormat.jsonObject());
  }

  @Test
  void splitsAssignTheSameUnitToTheSameVersionInTheRequestedShares() {
    create("p", "one");
    create("p", "two");
    registry.split("p", "production", List.of(Allocation.percent(1, 90), Allocation.percent(2, 10)), "ana", "canary");

    Map<String, Integer> first = new HashMap<>();
    int onTwo = 0;
    for (int i = 0; i < 10_000; i++) {
      ResolvedPrompt r = registry.resolve("p", "production", "user-" + i);
      first.put("user-" + i, r.version().version());
      onTwo += r.version().version() == 2 ? 1 : 0;
      assertThat(r.label()).isEqualTo("production");
    }
    assertThat(onTwo / 10_000.0).isCloseTo(0.10, within(0.015));
    for (int i = 0; i < 10_000; i += 7) {
      assertThat(registry.resolve("p", "production", "user-" + i).version().version()).isEqualTo(first.get("user-" + i));
    }

    registry.split("p", "production", List.of(Allocation.percent(1, 70), Allocation.percent(2, 30)), "ana", "widen");
    int moved = 0;
    for (int i = 0; i < 10_000; i++) {
      int now = registry.resolve("p", "production", "user-" + i).version().version();
      if (first.get("user-" + i) == 2) {
        assertThat(now).as("raising v2's share keeps every unit already on v2").isEqualTo(2);
      }
      moved += now != first.get("user-" + i) ? 1 : 0;
    }
    assertThat(moved / 10_000.0).as("only about 20% move, all into v2").isCloseTo(0.20, within(0.02));
    assertThatThrownBy(() -> registry.resolve("p", "production")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("splits traffic");
  }

  @Test
  void rollbackMovesTheLabelBackToItsPreviousState() {
    create("p", "one");
    create("p", "two");
    registry.moveLabel("p", "production", 1, "ana", "launch");
    registry.moveLabel("p", "production", 2, "bo", "improve");

    Label rolledBack = registry.rollback("p", "production", "cy", "v2 answers worse");

    assertThat(rolledBack.version()).isEqualTo(1);
    assertThat(rolledBack.revision()).isEqualTo(3);
    LabelMove last = registry.history("p", "production").get(2);
    assertThat(last.from()).containsExactly(Allocation.all(2));
    assertThat(last.to()).containsExactly(Allocation.all(1));
    assertThat(last.author()).isEqualTo("cy");
    assertThat(last.reason()).isEqualTo("v2 answers worse");
    assertThat(registry.resolve("p", "production").ref()).isEqualTo("p@1");

    registry.moveLabel("p", "staging", 2, "ana", "try");
    assertThatThrownBy(() -> registry.rollback("p", "staging", "ana", "")).isInstanceOf(ConflictException.class)
        .hasMessageContaining("first assignment");
  }

  @Test
  void unknownThingsAreNotFoundWithWhatExists() {
    create("p", "one");
    registry.moveLabel("p", "production", 1, "ana", "");
    assertThatThrownBy(() -> registry.version("p", 5)).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("versions 1 to 1");
    assertThatThrownBy(() -> registry.label("p", "staging")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("[production]");
    assertThatThrownBy(() -> registry.latest("nope")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void diffShowsTemplateLinesAndSettings() {
    registry.create(PromptDraft.builder("p").text("line one\nline two\nline three").author("a").build());
    registry.create(PromptDraft.builder("p").text("line one\nline 2\nline three\nline four")
        .modelConfig(ModelConfig.DEFAULTS.withTemperature(0.7)).tags("exp").author("a").build());

    PromptDiff diff = registry.diff("p", 1, 2);

    assertThat(diff.template()).containsExactly("  line one", "- line two", "+ line 2", "  line three", "+ line four");
    assertThat(diff.settings()).containsExactly("temperature: null -> 0.7", "tags: [] -> [exp]");
    assertThat(diff.isEmpty()).isFalse();
    assertThat(registry.diff("p", 2, 2).isEmpty()).isTrue();
    assertThat(diff.toString()).startsWith("--- p@1\n+++ p@2\n");
  }
}
