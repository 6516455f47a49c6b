package dev.llmops.core.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.llmops.core.Ticker;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.internal.routing.RequestFingerprint;
import dev.llmops.core.internal.routing.SemanticGroup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's response cache: answers to deterministic requests, kept for a time-to-live and served again to the
 * same {@link CacheScope}, either for the exact same request or, when configured, for a request that differs only
 * in a last user message that means nearly the same.
 *
 * <h2>Exact entries</h2>
 * The key is a SHA-256 digest over a canonical serialisation of everything that shapes the answer: every message
 * (role, text, tool calls with their ids, names and arguments, tool call ids), the model, temperature, topP,
 * maxTokens, stop sequences, seed, presence and frequency penalties, tools, tool choice and response format. Two
 * requests that differ in any of these never share an exact entry.
 *
 * <h2>Semantic entries</h2>
 * Only with {@link Builder#semantic(EmbeddingModel, double)}. The <em>context</em> of a request is everything in
 * the exact key except the text of its last user message; answers are grouped by (scope, context), and a lookup
 * that misses exactly embeds its last user message and serves the most similar answer of its group whose cosine
 * similarity reaches the threshold. Each group keeps its {@value #SEMANTIC_GROUP_CAPACITY} (or
 * {@code maximumEntries}, if smaller) most recently stored answers, scanned linearly; entries expire after the same
 * TTL as exact ones. A request without a user message, or whose last user message is blank, is cached exactly only.
 *
 * <p>The router calls {@link #lookup} and, on a miss, {@link #store} with the <em>same</em> {@link ChatRequest}
 * object. The cache remembers the fingerprint and embedding of recently seen request objects, keyed by object
 * identity and weakly held (at most {@value #PREPARED_CAPACITY} of them), so the last user message is embedded at
 * most once for such a pair. A store with an equal but distinct request object embeds again. An embedding is made
 * only when it is needed: by a lookup that misses exactly and finds a non-empty group, or by a store.
 *
 * <p>If the embedding model throws, the lookup is a miss (and a store keeps the exact entry only); the failure is
 * counted in {@code llmops.router.cache.embedding.errors} and logged at debug level with the exception's class,
 * never the text. No method of this cache fails because the embedding model failed.
 *
 * <h2>What is cached</h2>
 * Only deterministic requests, unless {@link Builder#cacheSampledRequests(boolean)} allows sampled ones: see
 * {@link #isCacheable(ChatRequest)}. Only complete answers: a response whose {@link FinishReason} is
 * {@link FinishReason#STOP} and that calls no tools. {@code LENGTH} answers are cut off, {@code TOOL_CALLS}
 * answers (and any answer with tool calls) ask the caller to act and carry call ids meant for one conversation,
 * {@code CONTENT_FILTER}, {@code CANCELLED} and {@code OTHER} are not answers the model gave in full; none of them
 * is kept.
 *
 * <h2>Meters</h2>
 * {@code llmops.router.cache.requests} counts lookups, tagged {@code route} and {@code result} (one of
 * {@code exact_hit}, {@code semantic_hit}, {@code miss}, {@code bypassed}); {@code llmops.router.cache.saved.cost}
 * sums the stored cost of every hit, tagged {@code route}; {@code llmops.router.cache.embedding.errors} counts
 * failed embeddings, tagged {@code route}. Meters are registered on first use and stay registered.
 *
 * <p>Thread-safe: every method may be called from any number of threads. Entries stored concurrently with
 * {@link #invalidate} or {@link #clear} for the same scope may or may not survive it.
 */
public final class ResponseCache {

  /** How many answers each semantic group keeps: the most recently stored ones. */
  public static final int SEMANTIC_GROUP_CAPACITY = 256;

  /** How many request objects the cache remembers fingerprints and embeddings for, between lookup and store. */
  public static final int PREPARED_CAPACITY = 1_024;

  private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);

  private final long ttlNanos;
  private final int groupCapacity;
  private final @Nullable EmbeddingModel embeddingModel;
  private final double threshold;
  private final boolean cacheSampledRequests;
  private final Ticker ticker;
  private final MeterRegistry meters;

  private final Cache<ExactKey, Stored> exact;
  private final Cache<GroupKey, SemanticGroup> groups;
  private final Cache<ChatRequest, Prepared> prepared;

  private final LongAdder exactHits = new LongAdder();
  private final LongAdder semanticHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder stores = new LongAdder();
  private final DoubleAdder savedCost = new DoubleAdder();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>(); // meters are built once

  private record ExactKey(CacheScope scope, String digest) {}

  private record GroupKey(CacheScope scope, String context) {}

  private record Stored(ChatResponse response, double cost) {}

  /** A lookup's outcome, the value of the {@code result} tag. */
  private enum Result {
    EXACT_HIT("exact_hit"), SEMANTIC_HIT("semantic_hit"), MISS("miss"), BYPASSED("bypassed");

    final String tag;

    Result(String tag) {
      this.tag = tag;
    }
  }

  /** A request's fingerprint and, once computed, its last user message's unit embedding. */
  private static final class Prepared {
    private static final Object FAILED = new Object();

    final RequestFingerprint fingerprint;
    private @Nullable Object embedding; // null: not tried; float[]: the unit vector; FAILED: the model threw

    Prepared(RequestFingerprint fingerprint) {
      this.fingerprint = fingerprint;
    }
  }

  private ResponseCache(Builder b) {
    this.ttlNanos = b.ttl.toNanos();
    // A group heavier than the whole weight bound would be evicted as soon as it was written.
    this.groupCapacity = (int) Math.min(SEMANTIC_GROUP_CAPACITY, b.maximumEntries);
    this.embeddingModel = b.embeddingModel;
    this.threshold = b.threshold;
    this.cacheSampledRequests = b.cacheSampledRequests;
    this.ticker = b.ticker;
    this.meters = b.meterRegistry;
    Ticker t = b.ticker;
    this.exact = Caffeine.newBuilder().maximumSize(b.maximumEntries).expireAfterWrite(b.ttl).ticker(t::read)
        .executor(Runnable::run).build();
    this.groups = Caffeine.newBuilder().maximumWeight(b.maximumEntries)
        .weigher((GroupKey k, SemanticGroup g) -> g.size())
        // A group is rewritten by every store, and its newest entry is as old as that write, so the group
        // expires exactly when its last live entry does.
        .expireAfterWrite(b.ttl).ticker(t::read).executor(Runnable::run).build();
    this.prepared = Caffeine.newBuilder().weakKeys().maximumSize(PREPARED_CAPACITY).executor(Runnable::run).build();
  }

  /** A builder with the defaults: 5 minutes TTL, 10,000 entries, exact only, deterministic requests only. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether the cache serves and keeps answers to {@code request}. With {@code cacheSampledRequests(true)} every
   * request is; otherwise only deterministic ones: temperature set to 0 and topP unset or 1. A request without a
   * temperature gets the provider's default, which samples; a seed does not make a sampled request deterministic
   * (providers only promise best effort), so it does not change the answer.
   *
   * @param request the request
   * @return whether {@link #lookup} and {@link #store} consider it
   */
  public boolean isCacheable(ChatRequest request) {
    if (cacheSampledRequests) {
      return true;
    }
    Double temperature = request.temperature();
    Double topP = request.topP();
    return temperature != null && temperature == 0.0 && (topP == null || topP >= 1.0);
  }

  /**
   * The cached answer for {@code request} in {@code scope}: an exact entry if there is one, else (when semantic
   * caching is configured) the most similar answer of the same context at or above the threshold. A request that
   * is not {@linkplain #isCacheable cacheable} is not looked up and counts as bypassed. Never throws because of the
   * embedding model.
   *
   * @param scope whose answers may be served
   * @param request the request
   * @return the hit, or empty on a miss or bypass
   */
  public Optional<Hit> lookup(CacheScope scope, ChatRequest request) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(request, "request");
    if (!isCacheable(request)) {
      count(scope, Result.BYPASSED);
      return Optional.empty();
    }
    Prepared p = prepare(request);
    Stored stored = exact.getIfPresent(new ExactKey(scope, p.fingerprint.exact()));
    if (stored != null) {
      exactHits.increment();
      return Optional.of(hit(scope, Result.EXACT_HIT, new Hit(stored.response(), false, 1.0, stored.cost())));
    }
    if (embeddingModel != null) {
      SemanticGroup group = groups.getIfPresent(new GroupKey(scope, p.fingerprint.context()));
      if (group != null) {
        float[] query = unitEmbedding(scope, p);
        SemanticGroup.Match match = query == null ? null : group.best(query, threshold, ticker.read(), ttlNanos);
        if (match != null) {
          semanticHits.increment();
          SemanticGroup.Entry e = match.entry();
          return Optional.of(hit(scope, Result.SEMANTIC_HIT, new Hit(e.response(), true, match.similarity(), e.cost())));
        }
      }
    }
    misses.increment();
    count(scope, Result.MISS);
    return Optional.empty();
  }

  /**
   * Keeps {@code response} as the answer to {@code request} in {@code scope}, replacing an earlier answer to the
   * same request. Ignored (silently, and not counted) when the request is not {@linkplain #isCacheable cacheable} or
   * the response is not a complete answer (see the class description). With semantic caching the answer also joins
   * its context's group, unless its last user message is blank or cannot be embedded.
   *
   * @param scope whose answers it joins
   * @param request the request it answers
   * @param response the answer
   * @param cost what the answer cost, reported as saved on every hit
   * @throws IllegalArgumentException if {@code cost} is negative or not finite, naming it
   */
  public void store(CacheScope scope, ChatRequest request, ChatResponse response, double cost) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
    if (!(cost >= 0) || !Double.isFinite(cost)) {
      throw new IllegalArgumentException("a cached answer's cost must be 0 or more but was " + cost);
    }
    if (!isCacheable(request) || response.finishReason() != FinishReason.STOP || response.hasToolCalls()) {
      return;
    }
    Prepared p = prepare(request);
    long now = ticker.read();
    exact.put(new ExactKey(scope, p.fingerprint.exact()), new Stored(response, cost));
    stores.increment();
    if (embeddingModel != null) {
      float[] unit = unitEmbedding(scope, p);
      if (unit != null) {
        SemanticGroup.Entry entry = new SemanticGroup.Entry(p.fingerprint.exact(), unit, response, cost, now);
        groups.asMap().compute(new GroupKey(scope, p.fingerprint.context()),
            (k, group) -> SemanticGroup.with(group, entry, ttlNanos, groupCapacity));
      }
    }
  }

  /**
   * Drops every entry, exact and semantic, of {@code scope}; other scopes keep theirs. Use it when a release's
   * answers must no longer be served, for example after a rollback. Takes time proportional to the number of
   * entries.
   *
   * @param scope the scope to empty
   */
  public void invalidate(CacheScope scope) {
    Objects.requireNonNull(scope, "scope");
    exact.asMap().keySet().removeIf(k -> k.scope().equals(scope));
    groups.asMap().keySet().removeIf(k -> k.scope().equals(scope));
  }

  /** Drops every entry of every scope. Statistics and meters keep counting from where they were. */
  public void clear() {
    exact.invalidateAll();
    groups.invalidateAll();
    prepared.invalidateAll();
  }

  /**
   * The counts since the cache was built. Each field is read separately, so under concurrent use the fields need
   * not add up to one instant.
   *
   * @return the statistics
   */
  public Stats stats() {
    return new Stats(exactHits.sum(), semanticHits.sum(), misses.sum(), stores.sum(), savedCost.sum());
  }

  private Prepared prepare(ChatRequest request) {
    return prepared.get(request, r -> new Prepared(RequestFingerprint.of(r)));
  }

  /**
   * The unit embedding of {@code p}'s last user message, computed at most once per prepared request; {@code null}
   * when there is no such message, it is blank, or the model failed (counted and logged without the text).
   */
  private float @Nullable [] unitEmbedding(CacheScope scope, Prepared p) {
    EmbeddingModel model = Objects.requireNonNull(embeddingModel, "embeddingModel");
    String text = p.fingerprint.lastUserText();
    if (text == null || text.isBlank()) {
      return null;
    }
    synchronized (p) {
      if (p.embedding == null) {
        try {
          float[] unit = SemanticGroup.unit(model.embed(text));
          if (unit == null) {
            LOG.debug("the embedding model {} returned a zero or non-finite vector for a request of route {}; "
                + "treating it as a cache miss", model.modelId(), scope.route());
          }
          p.embedding = unit == null ? Prepared.FAILED : unit;
        } catch (RuntimeException e) {
          p.embedding = Prepared.FAILED;
          counter("llmops.router.cache.embedding.errors", "failed embeddings of the response cache", scope.route(), null)
              .increment();
          LOG.debug("the embedding model {} failed for a request of route {} ({}); treating it as a cache miss",
              model.modelId(), scope.route(), e.getClass().getName());
        }
      }
      return p.embedding instanceof float[] unit ? unit : null;
    }
  }

  private Hit hit(CacheScope scope, Result result, Hit hit) {
    savedCost.add(hit.savedCost());
    count(scope, result);
    counter("llmops.router.cache.saved.cost", "the cost of the answers served from the response cache", scope.route(), null)
        .increment(hit.savedCost());
    return hit;
  }

  private void count(CacheScope scope, Result result) {
    counter("llmops.router.cache.requests", "response cache lookups by result", scope.route(), result).increment();
  }

  private Counter counter(String name, String description, String route, @Nullable Result result) {
    String key = name + '\u0000' + route + '\u0000' + (result == null ? "" : result.tag);
    return counters.computeIfAbsent(key, k -> {
      Counter.Builder builder = Counter.builder(name).description(description).tag("route", route);
      if (result != null) {
        builder.tag("result", result.tag);
      }
      return builder.register(meters);
    });
  }

  @Override
  public String toString() {
    return "ResponseCache[ttl=" + Duration.ofNanos(ttlNanos) + ", entries=" + exact.estimatedSize()
        + (embeddingModel == null ? "" : ", semantic=" + embeddingModel.modelId() + "@" + threshold) + "]";
  }

  /**
   * A cached answer served by {@link #lookup}.
   *
   * @param response the answer exactly as it was stored (its latency, usage and response id are the original call's)
   * @param semantic whether it was found by similarity rather than by the exact request
   * @param similarity the cosine similarity of the last user messages, 1.0 for an exact hit; in (0, 1]
   * @param savedCost the cost stored with the answer, which this hit did not spend again; 0 or more
   */
  public record Hit(ChatResponse response, boolean semantic, double similarity, double savedCost) {

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException if {@code similarity} is outside (0, 1] or {@code savedCost} is negative or
     *     not finite, naming the value
     */
    public Hit {
      Objects.requireNonNull(response, "response");
      if (!(similarity > 0 && similarity <= 1)) {
        throw new IllegalArgumentException("a cache hit's similarity must be in (0, 1] but was " + similarity);
      }
      if (!(savedCost >= 0) || !Double.isFinite(savedCost)) {
        throw new IllegalArgumentException("a cache hit's saved cost must be 0 or more but was " + savedCost);
      }
    }
  }

  /**
   * What the cache did since it was built.
   *
   * @param exactHits lookups answered by an exact entry
   * @param semanticHits lookups answered by a similar request's entry
   * @param misses lookups of cacheable requests that found nothing (embedding failures included)
   * @param stores answers kept (ignored stores are not counted)
   * @param savedCost the sum of the stored costs of every hit
   */
  public record Stats(long exactHits, long semanticHits, long misses, long stores, double savedCost) {

    /** Lookups of cacheable requests: hits of both kinds plus misses. */
    public long lookups() {
      return exactHits + semanticHits + misses;
    }
  }

  /**
   * Builds a {@link ResponseCache}. Each setter checks its value at once and throws
   * {@link IllegalArgumentException} naming it. Not thread-safe.
   */
  public static final class Builder {
    private Duration ttl = Duration.ofMinutes(5);
    private long maximumEntries = 10_000;
    private @Nullable EmbeddingModel embeddingModel;
    private double threshold = 1.0;
    private boolean cacheSampledRequests;
    private Ticker ticker = Ticker.system();
    private MeterRegistry meterRegistry = Metrics.globalRegistry;

    private Builder() {}

    /**
     * How long an answer is served after it was stored (default 5 minutes).
     *
     * @param ttl the time-to-live; positive
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("the response cache's ttl must be positive but was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * The most exact entries kept (default 10,000), and separately the most semantic entries; beyond it Caffeine
     * evicts the entries least likely to be used again.
     *
     * @param maximumEntries at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maximumEntries} is less than 1
     */
    public Builder maximumEntries(long maximumEntries) {
      if (maximumEntries < 1) {
        throw new IllegalArgumentException("the response cache needs room for at least 1 entry but maximumEntries was "
            + maximumEntries);
      }
      this.maximumEntries = maximumEntries;
      return this;
    }

    /**
     * Turns on semantic caching (default off).
     *
     * @param model embeds last user messages; it must return vectors of one dimension
     * @param threshold the least cosine similarity served, in (0, 1]
     * @return this builder
     * @throws IllegalArgumentException if {@code threshold} is outside (0, 1]
     */
    public Builder semantic(EmbeddingModel model, double threshold) {
      Objects.requireNonNull(model, "model");
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("the semantic similarity threshold must be in (0, 1] but was " + threshold);
      }
      this.embeddingModel = model;
      this.threshold = threshold;
      return this;
    }

    /**
     * Whether answers to sampled (non-deterministic) requests are cached too (default false); see
     * {@link ResponseCache#isCacheable(ChatRequest)}.
     *
     * @param cacheSampledRequests true to cache every request
     * @return this builder
     */
    public Builder cacheSampledRequests(boolean cacheSampledRequests) {
      this.cacheSampledRequests = cacheSampledRequests;
      return this;
    }

    /**
     * The time source that entry ages are measured with (default {@link Ticker#system()}).
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Where the meters are registered (default Micrometer's global registry).
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Builds the cache.
     *
     * @return a new, empty cache
     */
    public ResponseCache build() {
      return new ResponseCache(this);
    }
  }
}
