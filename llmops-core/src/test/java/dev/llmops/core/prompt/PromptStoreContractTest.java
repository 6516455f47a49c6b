package dev.llmops.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.ConflictException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PromptStore} must have. A store's test extends this class and says how to make a
 * fresh, empty store; each test gets its own.
 */
public abstract class PromptStoreContractTest {

  protected static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T12:00:00Z"), ZoneOffset.UTC);

  protected PromptStore store;

  /** For subclasses. */
  protected PromptStoreContractTest() {}

  /** A new, empty store that stamps times with {@code clock}. */
  protected abstract PromptStore newStore(Clock clock) throws Exception;

  /** Mixed operations per thread in the concurrency test. */
  protected int operationsPerThread() {
    return 1_000;
  }

  @BeforeEach
  void open() throws Exception {
    store = newStore(CLOCK);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static PromptDraft draft(String name, String text) {
    return PromptDraft.builder(name).text(text).author("ana").message("m").build();
  }

  @Test
  void versionsAreNumberedFromOneWithoutGaps() {
    PromptVersion v1 = store.create(draft("greeting", "Hello {{name}}"));
    PromptVersion v2 = store.create(draft("greeting", "Hi {{name}}"));
    PromptVersion other = store.create(draft("farewell", "Bye"));

    assertThat(v1.version()).isEqualTo(1);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(other.version()).isEqualTo(1);
    assertThat(v1.ref()).isEqualTo("greeting@1");
    assertThat(v1.createdAt()).isEqualTo(CLOCK.instant());
    assertThat(v1.variables()).containsExactly(VariableSpec.required("name"));
    assertThat(store.versions("greeting")).extracting(PromptVersion::version).containsExactly(1, 2);
    assertThat(store.latest("greeting")).contains(v2);
    assertThat(store.version("greeting", 1)).contains(v1);
    assertThat(store.version("greeting", 3)).isEmpty();
    assertThat(store.version("missing", 1)).isEmpty();
    assertThat(store.prompts()).containsExactly("farewell", "greeting");
  }

  @Test
  void aVersionKeepsEverythingItWasCreatedWith() {
    PromptDraft draft = PromptDraft.builder("support")
        .chat(MessageTemplate.system("You answer for {{company}}.\nBe brief."), MessageTemplate.user("{{question}}"))
        .variable(VariableSpec.optional("company", "Acme")).variable(VariableSpec.required("question"))
        .modelConfig(ModelConfig.DEFAULTS.withModel("gpt-4o-mini").withTemperature(0.2).withMaxTokens(300)
            .withStop(List.of("END")).withResponseFormat(dev.llmops.core.chat.ResponseFormat.jsonSchema("answer",
                "{ \"type\": \"object\",\n  \"properties\": {\"text\": {\"type\": \"string\"}} }", true)))
        .author("bo").message("structured answers").tags("support", "v2-rollout").build();

    PromptVersion created = store.create(draft);
    PromptVersion read = store.version("support", 1).orElseThrow();

    assertThat(read).isEqualTo(created);
    assertThat(read.template()).isEqualTo(draft.template());
    assertThat(read.modelConfig()).isEqualTo(draft.modelConfig());
    assertThat(read.tags()).containsExactlyInAnyOrder("support", "v2-rollout");
    assertThat(read.author()).isEqualTo("bo");
    assertThat(read.message()).isEqualTo("structured answers");
    assertThat(store.create(draft)).as("the same draft again, schema whitespace and all, is a no-op").isEqualTo(read);
    assertThat(store.versions("support")).hasSize(1);
  }

  @Test
  void creatingTheSameContentAgainReturnsTheLatestVersion() {
    PromptVersion v1 = store.create(draft("p", "same"));
    PromptVersion again = store.create(PromptDraft.builder("p").text("same").author("someone else")
        .message("another message").build());

    assertThat(again).isEqualTo(v1);
    assertThat(store.versions("p")).hasSize(1);

    store.create(draft("p", "different"));
    assertThat(store.create(draft("p", "same")).version()).as("same as an older version, not the latest").isEqualTo(3);
  }

  @Test
  void badInputForANewPromptLeavesNoTrace() {
    assertThatThrownBy(() -> store.create(PromptDraft.builder("fresh").text("{{a}}").variables("b").author("x").build()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> store.create(draft("fresh", "{{> partial}}"))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("partials");
    assertThatThrownBy(() -> store.moveLabel(new LabelChange("fresh", "production", List.of(Allocation.all(1)), 0, "x", "")))
        .isInstanceOf(NotFoundException.class);
    assertThat(store.prompts()).isEmpty();
    assertThat(store.labels("fresh")).isEmpty();
    assertThat(store.history("fresh", "production")).isEmpty();
  }

  @Test
  void badInputIsRefusedAndChangesNothing() {
    store.create(draft("p", "ok"));
    assertThatThrownBy(() -> store.create(draft("Bad Name", "x"))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Bad Name");
    assertThatThrownBy(() -> store.create(draft("../escape", "x"))).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> store.create(draft("p", "a\0b"))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("NUL");
    assertThatThrownBy(() -> store.create(draft("p", "broken \uD800 half"))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> store.create(draft("p", "x".repeat(PromptNames.MAX_TEMPLATE_BYTES + 1))))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("1 MiB");
    assertThatThrownBy(() -> store.create(draft("p", "{{#open}} never closed")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Mustache");
    assertThatThrownBy(() -> store.label("p", "Not A Label")).isInstanceOf(InvalidRequestException.class);

    assertThat(store.versions("p")).hasSize(1);
    assertThat(store.prompts()).containsExactly("p");
  }

  @Test
  void labelsMoveWithOptimisticConcurrencyAndKeepTheirHistory() {
    store.create(draft("p", "one"));
    store.create(draft("p", "two"));

    Label first = store.moveLabel(new LabelChange("p", "production", List.of(Allocation.all(1)), 0, "ana", "launch"));
    Label second = store.moveLabel(new LabelChange("p", "production", List.of(Allocation.all(2)), 1, "bo", "better"));

    assertThat(first.revision()).isEqualTo(1);
    assertThat(second.revision()).isEqualTo(2);
    assertThat(store.label("p", "production")).contains(second);
    assertThat(second.version()).isEqualTo(2);
    List<LabelMove> history = store.history("p", "production");
    assertThat(history).hasSize(2);
    assertThat(history.get(0).from()).isEmpty();
    assertThat(history.get(0).to()).containsExactly(Allocation.all(1));
    assertThat(history.get(1).from()).containsExactly(Allocation.all(1));
    assertThat(history.get(1).to()).containsExactly(Allocation.all(2));
    assertThat(history.get(1).author()).isEqualTo("bo");
    assertThat(history.get(1).reason()).isEqualTo("better");
    assertThat(history.get(1).at()).isEqualTo(CLOCK.instant());

    assertThatThrownBy(() -> store.moveLabel(new LabelChange("p", "production", List.of(Allocation.all(1)), 1, "cy", "stale")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("revision 2");
    assertThatThrownBy(() -> store.moveLabel(new LabelChange("p", "staging", List.of(Allocation.all(1)), 3, "cy", "x")))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> store.moveLabel(new LabelChange("p", "production", List.of(Allocation.all(9)), 2, "cy", "x")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("no version 9");
    assertThatThrownBy(() -> store.moveLabel(new LabelChange("ghost", "production", List.of(Allocation.all(1)), 0, "cy", "x")))
        .isInstanceOf(NotFoundException.class);

    assertThat(store.label("p", "production")).contains(second);
    assertThat(store.history("p", "production")).hasSize(2);
    assertThat(store.label("p", "staging")).isEmpty();
  }

  @Test
  void labelsCanSplitTraffic() {
    store.create(draft("p", "one"));
    store.create(draft("p", "two"));
    store.moveLabel(new LabelChange("p", "production",
        List.of(Allocation.percent(2, 10), Allocation.percent(1, 90)), 0, "ana", "canary"));
    store.moveLabel(new LabelChange("p", "staging", List.of(Allocation.all(2)), 0, "ana", "try"));

    Label production = store.label("p", "production").orElseThrow();
    assertThat(production.isSplit()).isTrue();
    assertThat(production.allocations()).containsExactly(new Allocation(1, 9000), new Allocation(2, 1000));
    assertThat(store.labels("p")).extracting(Label::name).containsExactly("production", "staging");
    assertThat(store.labels("none")).isEmpty();
    assertThat(store.history("p", "none")).isEmpty();
  }

  /**
   * 8 threads x N mixed operations on two prompts: create versions, move labels from the revision they read,
   * read and render. Afterwards no version is lost, numbering has no gaps or duplicates, and each label's history
   * replays to its current state.
   */
  @Test
  void concurrentMixedOperationsLoseNothing() throws Exception {
    List<String> prompts = List.of("alpha", "beta");
    for (String p : prompts) {
      store.create(draft(p, p + " seed {{x}}"));
      store.moveLabel(new LabelChange(p, "production", List.of(Allocation.all(1)), 0, "seed", "seed"));
    }
    Map<String, String> createdContent = new ConcurrentHashMap<>(); // "name@version" -> template text
    AtomicInteger conflicts = new AtomicInteger();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        Random random = new Random(thread);
        start.await();
        for (int i = 0; i < operationsPerThread(); i++) {
          String p = prompts.get(random.nextInt(prompts.size()));
          int op = random.nextInt(10);
          if (op < 3) {
            String text = p + " t" + thread + " i" + i + " {{x}}";
            PromptVersion v = store.create(draft(p, text));
            createdContent.put(v.ref(), text);
          } else if (op < 6) {
            Label current = store.label(p, "production").orElseThrow();
            int latest = store.latest(p).orElseThrow().version();
            int target = 1 + random.nextInt(latest);
            try {
              store.moveLabel(new LabelChange(p, "production", List.of(Allocation.all(target)), current.revision(),
                  "t" + thread, "op " + i));
            } catch (ConflictException e) {
              conflicts.incrementAndGet();
            }
          } else {
            Label current = store.label(p, "production").orElseThrow();
            PromptVersion v = store.version(p, current.versionFor("user-" + i)).orElseThrow();
            assertThat(PromptRegistry.builder(store).build().render(v, Map.of("x", "X")).text()).contains("X");
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();

    for (String p : prompts) {
      List<PromptVersion> versions = store.versions(p);
      for (int i = 0; i < versions.size(); i++) {
        assertThat(versions.get(i).version()).as("numbering of %s has no gaps or duplicates", p).isEqualTo(i + 1);
      }
      Map<Integer, String> byNumber = new HashMap<>();
      versions.forEach(v -> byNumber.put(v.version(), ((PromptTemplate.Text) v.template()).template()));
      createdContent.forEach((ref, text) -> {
        if (ref.startsWith(p + "@")) {
          assertThat(byNumber.get(Integer.parseInt(ref.substring(p.length() + 1)))).as("version %s kept", ref).isEqualTo(text);
        }
      });
      List<LabelMove> history = store.history(p, "production");
      List<Allocation> state = List.of();
      for (int i = 0; i < history.size(); i++) {
        LabelMove move = history.get(i);
        assertThat(move.revision()).isEqualTo(i + 1);
        assertThat(move.from()).as("move r%d starts where r%d ended", i + 1, i).isEqualTo(state);
        state = move.to();
      }
      Label current = store.label(p, "production").orElseThrow();
      assertThat(current.allocations()).isEqualTo(state);
      assertThat(current.revision()).isEqualTo(history.size());
    }
    assertThat(createdContent).isNotEmpty();
  }
}
