package dev.llmops.core.prompt;

import dev.llmops.core.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * How {@link PromptStore#cached(PromptStore, CacheSettings)} caches.
 *
 * <p>Versions never change, so they stay cached (up to {@code maximumSize}). Labels and each prompt's latest version
 * can change, so an entry is served as is until {@code refreshAfter}, then served while it is reloaded in the
 * background (stale-while-revalidate), and never served unchecked past {@code ttl}: a read after {@code ttl} reloads
 * from the store first, so a move made by another process is seen within {@code ttl}. If that reload fails (the
 * store is down), the last good value is served and counted as a stale serve; with nothing cached the read fails
 * with a retriable error. Writes through the cache update it at once, so in the same process a label move is
 * never followed by a stale read.
 *
 * @param ttl the longest a label or latest version is served without asking the store
 * @param refreshAfter the age after which a read triggers a background reload; at most {@code ttl}
 * @param maximumSize the most entries kept
 * @param ticker measures entry ages
 * @param refreshExecutor runs background reloads
 * @param meterRegistry receives {@code llmops.prompt.cache} (hits, misses, stale serves) and
 *     {@code llmops.prompt.store} (store call latency) meters
 */
public record CacheSettings(
    Duration ttl, Duration refreshAfter, long maximumSize, Ticker ticker, @Nullable Executor refreshExecutor,
    MeterRegistry meterRegistry) {

  /** Validates the values. */
  public CacheSettings {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive but was " + ttl);
    }
    if (refreshAfter.isNegative() || refreshAfter.compareTo(ttl) > 0) {
      throw new IllegalArgumentException("refreshAfter must be between 0 and the ttl (" + ttl + ") but was " + refreshAfter);
    }
    if (maximumSize < 1) {
      throw new IllegalArgumentException("maximumSize must be at least 1 but was " + maximumSize);
    }
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
  }

  /** A 30 s ttl, background refresh after 15 s, 10,000 entries, system ticker, Micrometer's global registry. */
  public static CacheSettings ofDefaults() {
    return ttl(Duration.ofSeconds(30));
  }

  /** The defaults with another ttl; background refresh starts at half of it. */
  public static CacheSettings ttl(Duration ttl) {
    return new CacheSettings(ttl, ttl.dividedBy(2), 10_000, Ticker.system(), null, Metrics.globalRegistry);
  }

  /** These settings with another refresh age. */
  public CacheSettings withRefreshAfter(Duration refreshAfter) {
    return new CacheSettings(ttl, refreshAfter, maximumSize, ticker, refreshExecutor, meterRegistry);
  }

  /** These settings with another ticker (a fake one in tests). */
  public CacheSettings withTicker(Ticker ticker) {
    return new CacheSettings(ttl, refreshAfter, maximumSize, ticker, refreshExecutor, meterRegistry);
  }

  /** These settings with another executor for background reloads ({@code Runnable::run} runs them inline). */
  public CacheSettings withRefreshExecutor(Executor executor) {
    return new CacheSettings(ttl, refreshAfter, maximumSize, ticker, executor, meterRegistry);
  }

  /** These settings with another meter registry. */
  public CacheSettings withMeterRegistry(MeterRegistry registry) {
    return new CacheSettings(ttl, refreshAfter, maximumSize, ticker, refreshExecutor, registry);
  }

  /** These settings with another size bound. */
  public CacheSettings withMaximumSize(long size) {
    return new CacheSettings(ttl, refreshAfter, size, ticker, refreshExecutor, meterRegistry);
  }
}
