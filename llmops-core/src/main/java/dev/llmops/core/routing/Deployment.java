package dev.llmops.core.routing;

import dev.llmops.core.chat.ChatModel;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One model the router can call: any {@link ChatModel} (a remote client, a local decoder, a scripted fake) under a
 * name, with what it costs and how much it may take at once. Immutable; the router keeps its health, load and
 * lifecycle stage.
 *
 * <pre>{@code
 * Deployment gpt = Deployment.builder("gpt-4o-mini@openai", client.chatModel("gpt-4o-mini"))
 *     .version("gpt-4o-mini-2024-07-18")
 *     .prices(new PriceTable(0.15, 0.075, 0.60))
 *     .maxConcurrency(64)
 *     .build();
 * }</pre>
 *
 * @param name the name releases refer to it by
 * @param model the model
 * @param version what exactly answers, for lineage: the remote model id and snapshot, or a local artifact's SHA-256
 * @param prices what it charges
 * @param maxConcurrency the most calls in flight at once; a call beyond it passes over this deployment
 * @param circuitBreaker when it is taken out of rotation, or {@code null} for the router's default
 * @param stage the lifecycle stage it starts in
 */
public record Deployment(
    String name, ChatModel model, String version, PriceTable prices, int maxConcurrency,
    @Nullable CircuitBreakerSettings circuitBreaker, LifecycleStage stage) {

  /** Validates the fields. */
  public Deployment {
    Names.check("deployment", name);
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(prices, "prices");
    Objects.requireNonNull(stage, "stage");
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("deployment '" + name + "' needs a concurrency limit of at least 1 but was " + maxConcurrency);
    }
  }

  /** Starts a deployment of {@code model} named {@code name}. */
  public static Builder builder(String name, ChatModel model) {
    return new Builder(name, model);
  }

  /** Builds a {@link Deployment}. */
  public static final class Builder {
    private final String name;
    private final ChatModel model;
    private @Nullable String version;
    private PriceTable prices = PriceTable.FREE;
    private int maxConcurrency = Integer.MAX_VALUE;
    private @Nullable CircuitBreakerSettings circuitBreaker;
    private LifecycleStage stage = LifecycleStage.PRODUCTION;

    private Builder(String name, ChatModel model) {
      this.name = name;
      this.model = model;
    }

    /** What exactly answers (default: the name). */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** What it charges (default: free). */
    public Builder prices(PriceTable prices) {
      this.prices = prices;
      return this;
    }

    /** The most calls in flight at once (default: unlimited). */
    public Builder maxConcurrency(int maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /** When it is taken out of rotation (default: the router's). */
    public Builder circuitBreaker(CircuitBreakerSettings settings) {
      this.circuitBreaker = settings;
      return this;
    }

    /** The stage it starts in (default {@link LifecycleStage#PRODUCTION}). */
    public Builder stage(LifecycleStage stage) {
      this.stage = stage;
      return this;
    }

    /** The deployment. */
    public Deployment build() {
      return new Deployment(name, model, version == null ? name : version, prices, maxConcurrency, circuitBreaker, stage);
    }
  }
}
