package dev.llmops.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.RetriableException;
import dev.llmops.core.Ticker;
import dev.llmops.core.UnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingPromptStoreTest {

  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final CacheSettings settings = CacheSettings.ttl(Duration.ofSeconds(30)).withRefreshAfter(Duration.ofSeconds(10))
      .withTicker(ticker).withRefreshExecutor(Runnable::run).withMeterRegistry(meters);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private double count(String kind, String result) {
    return meters.counter("llmops.prompt.cache", "kind", kind, "result", result).count();
  }

  /** A store whose reads can be made to fail, counting label reads. */
  private static final class Flaky implements PromptStore {
    final PromptStore inner;
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger labelReads = new AtomicInteger();
    final AtomicInteger labelAttempts = new AtomicInteger();

    Flaky(PromptStore inner) {
      this.inner = inner;
    }

    private void check() {
      if (down.get()) {
        throw new UnavailableException("the database is down");
      }
    }

    @Override
    public PromptVersion create(PromptDraft draft) {
      check();
      return inner.create(draft);
    }

    @Override
    public Optional<PromptVersion> version(String prompt, int version) {
      check();
      return inner.version(prompt, version);
    }

    @Override
    public Optional<PromptVersion> latest(String prompt) {
      check();
      return inner.latest(prompt);
    }

    @Override
    public List<PromptVersion> versions(String prompt) {
      check();
      return inner.versions(prompt);
    }

    @Override
    public List<String> prompts() {
      check();
      return inner.prompts();
    }

    @Override
    public Optional<Label> label(String prompt, String label) {
      labelAttempts.incrementAndGet();
      check();
      labelReads.incrementAndGet();
      return inner.label(prompt, label);
    }

    @Override
    public List<Label> labels(String prompt) {
      check();
      return inner.labels(prompt);
    }

    @Override
    public Label moveLabel(LabelChange change) {
      check();
      return inner.moveLabel(change);
    }

    @Override
    public List<LabelMove> history(String prompt, String label) {
      check();
      return inner.history(prompt, label);
    }
  }

  private static PromptDraft draft(String text) {
    return PromptDraft.builder("p").text(text).author("ana").build();
  }

  @Test
  void servesFromCacheThenRefreshesInTheBackgroundAndNeverPastTheTtl() {
    Flaky backing = new Flaky(PromptStore.inMemory());
    PromptStore cache = PromptStore.cached(backing, settings);
    cache.create(draft("one"));
    cache.moveLabel(new LabelChange("p", "production", List.of(Allocation.all(1)), 0, "ana", ""));
    int reads = backing.labelReads.get();

    cache.label("p", "production");
    advance(Duration.ofSeconds(5));
    cache.label("p", "production");
    assertThat(backing.labelReads.get()).as("fresh entries are served from the cache").isEqualTo(reads);

    advance(Duration.ofSeconds(10)); // 15 s: past refreshAfter, within ttl
    cache.label("p", "production");
    assertThat(backing.labelReads.get()).as("one background refresh").isEqualTo(reads + 1);
    assertThat(count("label", "refresh")).isEqualTo(1);

    advance(Duration.ofSeconds(31)); // past the ttl since the refresh
    cache.label("p", "production");
    assertThat(backing.labelReads.get()).as("a read past the ttl goes to the store first").isEqualTo(reads + 2);
    assertThat(count("label", "expired")).isEqualTo(1);
    assertThat(count("label", "hit")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aMoveThroughTheCacheIsSeenAtOnceInThisProcess() {
    PromptStore cache = PromptStore.cached(PromptStore.inMemory(), settings.withRefreshAfter(Duration.ofSeconds(30)));
    cache.create(draft("one"));
    cache.create(draft("two"));
    cache.moveLabel(new LabelChange("p", "production", List.of(Allocation.all(1)), 0, "ana", ""));
    PromptRegistry a = PromptRegistry.builder(cache).build();
    PromptRegistry b = PromptRegistry.builder(cache).build();
    assertThat(b.resolve("p", "production").ref()).isEqualTo("p@1"); // cached now

    a.moveLabel("p", "production", 2, "ana", "go");

    assertThat(b.resolve("p", "production").ref()).isEqualTo("p@2");
    assertThat(b.latest("p").version()).isEqualTo(2);
  }

  @Test
  void anotherProcessesMoveIsSeenWithinTheTtl(@TempDir Path dir) {
    PromptStore processA = PromptStore.cached(PromptStore.directory(dir, Clock.systemUTC()), settings);
    PromptStore processB = PromptStore.cached(PromptStore.directory(dir, Clock.systemUTC()), settings);
    processA.create(draft("one"));
    processA.create(draft("two"));
    processA.moveLabel(new LabelChange("p", "production", List.of(Allocation.all(1)), 0, "ana", ""));
    assertThat(processB.label("p", "production").orElseThrow().version()).isEqualTo(1);

    processA.moveLabel(new LabelChange("p", "production", List.of(Allocation.all(2)), 1, "ana", ""));
    assertThat(processA.label("p", "production").orElseThrow().version()).isEqualTo(2);

    advance(Duration.ofSeconds(29));
    // B may still serve v1 (it refreshes in the background once past refreshAfter) ...
    processB.label("p", "production");
    advance(Duration.ofSeconds(2));
    // ... but by the ttl it has read the store again.
    assertThat(processB.label("p", "production").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void whenTheStoreIsDownTheLastGoodValueIsServed() {
    Flaky backing = new Flaky(PromptStore.inMemory());
    PromptStore cache = PromptStore.cached(backing, settings);
    cache.create(draft("one"));
    cache.moveLabel(new LabelChange("p", "production", List.of(Allocation.all(1)), 0, "ana", ""));
    cache.label("p", "production");
    cache.version("p", 1);

    backing.down.set(true);
    advance(Duration.ofMinutes(10));

    assertThat(cache.label("p", "production").orElseThrow().version()).isEqualTo(1);
    assertThat(cache.latest("p").orElseThrow().version()).isEqualTo(1);
    assertThat(cache.version("p", 1)).isPresent();
    assertThat(count("label", "stale")).isEqualTo(1);
    int attempts = backing.labelAttempts.get();
    cache.label("p", "production");
    assertThat(backing.labelAttempts.get()).as("after a failure, reads do not each wait for the store")
        .isLessThanOrEqualTo(attempts + 1);
    assertThat(count("label", "stale")).isEqualTo(1);
    assertThatThrownBy(() -> cache.label("p", "staging")).as("nothing cached: a retriable error")
        .isInstanceOf(RetriableException.class).hasMessageContaining("down");

    backing.down.set(false);
    assertThat(cache.label("p", "production")).isPresent();
    assertThat(meters.timer("llmops.prompt.store", "operation", "label").count()).isGreaterThan(0);
  }

  @Test
  void aConflictDropsTheStaleEntry(@TempDir Path dir) {
    PromptStore other = PromptStore.directory(dir, Clock.systemUTC());
    PromptStore cache = PromptStore.cached(PromptStore.directory(dir, Clock.systemUTC()), settings);
    cache.create(draft("one"));
    cache.create(draft("two"));
    cache.moveLabel(new LabelChange("p", "production", List.of(Allocation.all(1)), 0, "ana", ""));
    other.moveLabel(new LabelChange("p", "production", List.of(Allocation.all(2)), 1, "bo", ""));

    assertThatThrownBy(() -> PromptRegistry.builder(cache).build().moveLabel("p", "production", 1, "ana", "again"))
        .isInstanceOf(dev.llmops.core.ConflictException.class);
    assertThat(cache.label("p", "production").orElseThrow().version()).as("re-read after the conflict").isEqualTo(2);
  }
}
