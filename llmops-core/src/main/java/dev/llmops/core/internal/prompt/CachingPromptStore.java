package dev.llmops.core.internal.prompt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.llmops.core.ConflictException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.Ticker;
import dev.llmops.core.prompt.CacheSettings;
import dev.llmops.core.prompt.Label;
import dev.llmops.core.prompt.LabelChange;
import dev.llmops.core.prompt.LabelMove;
import dev.llmops.core.prompt.PromptDraft;
import dev.llmops.core.prompt.PromptNames;
import dev.llmops.core.prompt.PromptStore;
import dev.llmops.core.prompt.PromptVersion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cache behind {@link PromptStore#cached(PromptStore, CacheSettings)}; see {@link CacheSettings} for its rules. */
public final class CachingPromptStore implements PromptStore {

  private static final Logger LOG = LoggerFactory.getLogger(CachingPromptStore.class);

  private final PromptStore store;
  private final Ticker ticker;
  private final long ttl;
  private final long refreshAfter;
  private final Executor refreshExecutor;
  private final @Nullable ExecutorService ownedExecutor;
  private final Cache<Key, Entry> cache;
  private final Set<Key> refreshing = ConcurrentHashMap.newKeySet();
  private final MeterRegistry meters;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>(); // meters are built once
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  private sealed interface Key permits LabelKey, LatestKey, VersionKey {
    String kind();
  }

  private record LabelKey(String prompt, String label) implements Key {
    @Override
    public String kind() {
      return "label";
    }
  }

  private record LatestKey(String prompt) implements Key {
    @Override
    public String kind() {
      return "latest";
    }
  }

  private record VersionKey(String prompt, int version) implements Key {
    @Override
    public String kind() {
      return "version";
    }
  }

  /** A cached value (possibly empty) and when it was read from the store. */
  private record Entry(Optional<?> value, long loadedAt) {}

  /** Wraps {@code store}. */
  public CachingPromptStore(PromptStore store, CacheSettings settings) {
    this.store = store;
    this.ticker = settings.ticker();
    this.ttl = settings.ttl().toNanos();
    this.refreshAfter = settings.refreshAfter().toNanos();
    this.meters = settings.meterRegistry();
    if (settings.refreshExecutor() != null) {
      this.refreshExecutor = settings.refreshExecutor();
      this.ownedExecutor = null;
    } else {
      ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "llmops-prompt-cache-refresh");
        t.setDaemon(true);
        return t;
      });
      this.refreshExecutor = executor;
      this.ownedExecutor = executor;
    }
    this.cache = Caffeine.newBuilder().maximumSize(settings.maximumSize()).build();
  }

  private void count(Key key, String result) {
    counters.computeIfAbsent(key.kind() + "/" + result, k -> Counter.builder("llmops.prompt.cache")
        .description("prompt cache lookups by result").tag("kind", key.kind()).tag("result", result)
        .register(meters)).increment();
  }

  private <T> T timed(String operation, Supplier<T> call) {
    Timer timer = timers.computeIfAbsent(operation, op -> Timer.builder("llmops.prompt.store")
        .description("latency of prompt store calls").tag("operation", op).register(meters));
    long start = System.nanoTime();
    try {
      return call.get();
    } finally {
      timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  @SuppressWarnings("unchecked")
  private <T> Optional<T> changing(Key key, String operation, Supplier<Optional<T>> loader) {
    Entry entry = cache.getIfPresent(key);
    if (entry != null) {
      long age = ticker.read() - entry.loadedAt();
      if (age < refreshAfter) {
        count(key, "hit");
        return (Optional<T>) entry.value();
      }
      if (age < ttl) {
        count(key, "hit");
        refreshInBackground(key, entry, operation, loader);
        return (Optional<T>) entry.value();
      }
    }
    try {
      Optional<T> value = timed(operation, loader);
      install(key, entry, new Entry(value, ticker.read()));
      count(key, entry == null ? "miss" : "expired");
      return value;
    } catch (LlmOpsException e) {
      if (entry == null) {
        throw e;
      }
      count(key, "stale");
      LOG.warn("prompt store failed ({}); serving the last good {} of {} read {} ms ago", e.getMessage(), key.kind(),
          key, (ticker.read() - entry.loadedAt()) / 1_000_000);
      // Back off: until refreshAfter from now, reads serve this value and retry in the background instead of
      // each waiting for the store to fail again.
      install(key, entry, new Entry(entry.value(), ticker.read() - refreshAfter));
      return (Optional<T>) entry.value();
    }
  }

  private <T> void refreshInBackground(Key key, Entry seen, String operation, Supplier<Optional<T>> loader) {
    if (!refreshing.add(key)) {
      return;
    }
    try {
      refreshExecutor.execute(() -> {
        try {
          install(key, seen, new Entry(timed(operation, loader), ticker.read()));
          count(key, "refresh");
        } catch (RuntimeException e) {
          LOG.debug("background refresh of {} failed; the cached value stays", key, e);
        } finally {
          refreshing.remove(key);
        }
      });
    } catch (RuntimeException rejected) {
      refreshing.remove(key);
    }
  }

  /** Installs a loaded entry unless a write through this cache replaced the entry the load started from. */
  private void install(Key key, @Nullable Entry seen, Entry loaded) {
    Map<Key, Entry> map = cache.asMap();
    map.compute(key, (k, current) -> current == null || current == seen ? loaded : current);
  }

  /**
   * Installs a value written through this cache, unless a newer one (a higher label revision or version number)
   * got there first from a concurrent writer or reload.
   */
  private void put(Key key, Optional<?> value) {
    Entry written = new Entry(value, ticker.read());
    cache.asMap().merge(key, written, (current, mine) -> order(current.value()) > order(mine.value()) ? current : mine);
  }

  private static long order(Optional<?> value) {
    Object v = value.orElse(null);
    if (v instanceof Label label) {
      return label.revision();
    }
    if (v instanceof PromptVersion version) {
      return version.version();
    }
    return -1;
  }

  @Override
  public PromptVersion create(PromptDraft draft) {
    PromptVersion version = timed("create", () -> store.create(draft));
    put(new LatestKey(version.name()), Optional.of(version));
    put(new VersionKey(version.name(), version.version()), Optional.of(version));
    return version;
  }

  @Override
  public Optional<PromptVersion> version(String prompt, int version) {
    PromptNames.checkPrompt(prompt);
    VersionKey key = new VersionKey(prompt, version);
    Entry entry = cache.getIfPresent(key);
    if (entry != null) {
      count(key, "hit");
      @SuppressWarnings("unchecked")
      Optional<PromptVersion> cached = (Optional<PromptVersion>) entry.value();
      return cached;
    }
    Optional<PromptVersion> loaded = timed("version", () -> store.version(prompt, version));
    count(key, "miss");
    if (loaded.isPresent()) { // versions never change; absent ones may be created later
      put(key, loaded);
    }
    return loaded;
  }

  @Override
  public Optional<PromptVersion> latest(String prompt) {
    PromptNames.checkPrompt(prompt);
    return changing(new LatestKey(prompt), "latest", () -> store.latest(prompt));
  }

  @Override
  public List<PromptVersion> versions(String prompt) {
    return timed("versions", () -> store.versions(prompt));
  }

  @Override
  public List<String> prompts() {
    return timed("prompts", store::prompts);
  }

  @Override
  public Optional<Label> label(String prompt, String label) {
    PromptNames.checkPrompt(prompt);
    PromptNames.checkLabel(label);
    return changing(new LabelKey(prompt, label), "label", () -> store.label(prompt, label));
  }

  @Override
  public List<Label> labels(String prompt) {
    return timed("labels", () -> store.labels(prompt));
  }

  @Override
  public Label moveLabel(LabelChange change) {
    LabelKey key = new LabelKey(change.prompt(), change.label());
    try {
      Label moved = timed("moveLabel", () -> store.moveLabel(change));
      put(key, Optional.of(moved));
      return moved;
    } catch (ConflictException e) {
      cache.invalidate(key); // what we hold is older than the store; the next read fetches the winner's move
      throw e;
    }
  }

  @Override
  public List<LabelMove> history(String prompt, String label) {
    return timed("history", () -> store.history(prompt, label));
  }

  /** Stops background refreshes and closes the store behind the cache. */
  @Override
  public void close() {
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    store.close();
  }

  @Override
  public String toString() {
    return "CachingPromptStore[" + store + "]";
  }
}
