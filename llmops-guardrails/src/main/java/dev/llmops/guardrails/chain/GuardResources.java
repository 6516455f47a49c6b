package dev.llmops.guardrails.chain;

import dev.llmops.core.classify.TextClassifier;
import dev.llmops.core.embedding.EmbeddingModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a policy file cannot hold but its guards may need: models, classifiers, keys, vaults, a review queue, a
 * clock, a meter registry, and factories for custom guards. Immutable once built.
 */
public final class GuardResources {

  private final @Nullable EmbeddingModel embeddingModel;
  private final Map<String, TextClassifier> classifiers;
  private final Map<String, byte[]> keys;
  private final Map<Class<?>, Object> extras;
  private final @Nullable ReviewQueue reviewQueue;
  private final MeterRegistry meterRegistry;
  private final Clock clock;
  private final Map<String, GuardFactory> factories;

  private GuardResources(Builder b) {
    this.embeddingModel = b.embeddingModel;
    this.classifiers = Map.copyOf(b.classifiers);
    this.keys = Map.copyOf(b.keys);
    this.extras = Map.copyOf(b.extras);
    this.reviewQueue = b.reviewQueue;
    this.meterRegistry = b.meterRegistry;
    this.clock = b.clock;
    this.factories = Map.copyOf(b.factories);
  }

  /** No resources: rule-based guards only. */
  public static GuardResources none() {
    return builder().build();
  }

  /** Starts an empty set of resources. */
  public static Builder builder() {
    return new Builder();
  }

  /** The sentence-embedding model, if one was supplied. */
  public Optional<EmbeddingModel> embeddingModel() {
    return Optional.ofNullable(embeddingModel);
  }

  /**
   * The embedding model, for a guard that cannot work without one.
   *
   * @throws IllegalStateException naming {@code who} when none was supplied
   */
  public EmbeddingModel requireEmbeddingModel(String who) {
    if (embeddingModel == null) {
      throw new IllegalStateException(who + " needs an embedding model; supply one with "
          + "GuardResources.builder().embeddingModel(model) (the CLI: --model)");
    }
    return embeddingModel;
  }

  /**
   * The classifier registered under {@code name}.
   *
   * @throws IllegalStateException naming {@code who} when there is none
   */
  public TextClassifier requireClassifier(String name, String who) {
    TextClassifier c = classifiers.get(name);
    if (c == null) {
      throw new IllegalStateException(who + " needs the classifier '" + name + "'; supply it with "
          + "GuardResources.builder().classifier(\"" + name + "\", classifier); registered: " + classifiers.keySet());
    }
    return c;
  }

  /**
   * The key registered under {@code name} (for hashing or pseudonymising), as a copy.
   *
   * @throws IllegalStateException naming {@code who} when there is none
   */
  public byte[] requireKey(String name, String who) {
    byte[] k = keys.get(name);
    if (k == null) {
      throw new IllegalStateException(who + " needs the key '" + name + "'; supply it with "
          + "GuardResources.builder().key(\"" + name + "\", bytes)");
    }
    return k.clone();
  }

  /** The resource of {@code type}, if one was supplied. */
  public <T> Optional<T> get(Class<T> type) {
    return Optional.ofNullable(type.cast(extras.get(type)));
  }

  /**
   * The resource of {@code type}.
   *
   * @throws IllegalStateException naming {@code who} when there is none
   */
  public <T> T require(Class<T> type, String who) {
    return get(type).orElseThrow(() -> new IllegalStateException(who + " needs a " + type.getSimpleName()
        + "; supply one with GuardResources.builder().add(" + type.getSimpleName() + ".class, value)"));
  }

  /** The review queue for escalations, if any. */
  public Optional<ReviewQueue> reviewQueue() {
    return Optional.ofNullable(reviewQueue);
  }

  /** The meter registry for chains built from policies. */
  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** The clock for guards with windows and limits. */
  public Clock clock() {
    return clock;
  }

  /** The custom factory for {@code guard}, if one was registered. */
  public Optional<GuardFactory> factory(String guard) {
    return Optional.ofNullable(factories.get(guard));
  }

  /** Builds {@link GuardResources}; not thread-safe. */
  public static final class Builder {
    private @Nullable EmbeddingModel embeddingModel;
    private final Map<String, TextClassifier> classifiers = new LinkedHashMap<>();
    private final Map<String, byte[]> keys = new LinkedHashMap<>();
    private final Map<Class<?>, Object> extras = new LinkedHashMap<>();
    private @Nullable ReviewQueue reviewQueue;
    private MeterRegistry meterRegistry = new SimpleMeterRegistry();
    private Clock clock = Clock.systemUTC();
    private final Map<String, GuardFactory> factories = new LinkedHashMap<>();

    private Builder() {}

    /** The sentence-embedding model for the injection classifier, topics and grounding. */
    public Builder embeddingModel(EmbeddingModel model) {
      this.embeddingModel = Objects.requireNonNull(model, "model");
      return this;
    }

    /** A classifier that policy options refer to by {@code name}. */
    public Builder classifier(String name, TextClassifier classifier) {
      classifiers.put(name, Objects.requireNonNull(classifier, "classifier"));
      return this;
    }

    /** A key that policy options refer to by {@code name}; copied. */
    public Builder key(String name, byte[] key) {
      if (key.length < 16) {
        throw new IllegalArgumentException("key '" + name + "' must have at least 16 bytes but has " + key.length);
      }
      keys.put(name, key.clone());
      return this;
    }

    /** Any other resource a guard looks up by type (a PII vault, a tool approver, an entity recognizer). */
    public <T> Builder add(Class<T> type, T value) {
      extras.put(type, type.cast(Objects.requireNonNull(value, "value")));
      return this;
    }

    /** The queue escalations go to. */
    public Builder reviewQueue(ReviewQueue queue) {
      this.reviewQueue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /** Where chains register their meters. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The clock for windows, limits and TTLs. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** A factory for a custom guard, named in policy files by {@link GuardFactory#guard()}. */
    public Builder factory(GuardFactory factory) {
      factories.put(factory.guard(), factory);
      return this;
    }

    /** Builds the resources. */
    public GuardResources build() {
      return new GuardResources(this);
    }
  }
}
