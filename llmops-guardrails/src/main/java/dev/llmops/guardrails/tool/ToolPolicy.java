package dev.llmops.guardrails.tool;

import dev.llmops.guardrails.schema.JsonSchemaChecker;
import dev.llmops.guardrails.schema.SchemaDraft;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ToolCallGuard} allows for one tool: its arguments' JSON Schema, whether it is dangerous (needs
 * approval), a rate limit per tenant and a call budget per conversation, and a cost counted against the guard's
 * cost budget. Immutable; the schema is compiled (and refused if invalid or remote) when the policy is built.
 *
 * <pre>{@code
 * ToolPolicy refund = ToolPolicy.builder("issue_refund")
 *     .argumentsSchema("{\"type\":\"object\",\"required\":[\"order\"],\"properties\":{\"order\":{\"type\":\"string\"}}}")
 *     .dangerous(true)
 *     .rateLimit(5, Duration.ofMinutes(1))
 *     .maxCallsPerConversation(2)
 *     .build();
 * }</pre>
 */
public final class ToolPolicy {

  private final String name;
  private final JsonSchemaChecker checker;
  private final boolean schemaGiven;
  private final boolean dangerous;
  private final int rateLimitCalls;
  private final Duration rateLimitWindow;
  private final int maxCallsPerConversation;
  private final double cost;
  private final int maxArgumentChars;

  private ToolPolicy(Builder b, JsonSchemaChecker checker) {
    this.name = b.name;
    this.checker = checker;
    this.schemaGiven = b.schemaJson != null;
    this.dangerous = b.dangerous;
    this.rateLimitCalls = b.rateLimitCalls;
    this.rateLimitWindow = b.rateLimitWindow;
    this.maxCallsPerConversation = b.maxCallsPerConversation;
    this.cost = b.cost;
    this.maxArgumentChars = b.maxArgumentChars;
  }

  /**
   * A builder for the tool named {@code name}, with no schema (any JSON arguments), not dangerous, no limits
   * and a cost of 1.
   *
   * @param name the tool's function name as the model calls it; 1 to 128 characters, not blank
   * @throws IllegalArgumentException if the name is blank or too long
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A policy allowing the tool named {@code name} with any JSON arguments and no limits. */
  public static ToolPolicy allow(String name) {
    return builder(name).build();
  }

  /** The tool's name. */
  public String name() {
    return name;
  }

  /** The compiled arguments schema, if one was given. */
  public Optional<JsonSchemaChecker> argumentsSchema() {
    return schemaGiven ? Optional.of(checker) : Optional.empty();
  }

  /** The checker for the arguments: the schema, or {@code true} (any JSON) when none was given. */
  JsonSchemaChecker checker() {
    return checker;
  }

  /** Whether calls go to the {@link ToolApprover}. */
  public boolean dangerous() {
    return dangerous;
  }

  /** The most calls per tenant in any {@link #rateLimitWindow()}, or 0 for no rate limit. */
  public int rateLimitCalls() {
    return rateLimitCalls;
  }

  /** The rate limit's sliding window ({@link Duration#ZERO} when there is no rate limit). */
  public Duration rateLimitWindow() {
    return rateLimitWindow;
  }

  /** The most calls per conversation (per tenant when requests name no conversation), or 0 for no budget. */
  public int maxCallsPerConversation() {
    return maxCallsPerConversation;
  }

  /** What one call costs against the guard's cost budget. */
  public double cost() {
    return cost;
  }

  /** The longest arguments text accepted. */
  public int maxArgumentChars() {
    return maxArgumentChars;
  }

  @Override
  public String toString() {
    return "ToolPolicy[" + name + (dangerous ? ", dangerous" : "")
        + (rateLimitCalls > 0 ? ", " + rateLimitCalls + " per " + rateLimitWindow : "")
        + (maxCallsPerConversation > 0 ? ", " + maxCallsPerConversation + " per conversation" : "") + "]";
  }

  /** Builds a {@link ToolPolicy}; options are plain values so a JSON policy can set them. */
  public static final class Builder {
    private final String name;
    private @Nullable String schemaJson;
    private SchemaDraft defaultDraft = SchemaDraft.DRAFT_2020_12;
    private boolean dangerous;
    private int rateLimitCalls;
    private Duration rateLimitWindow = Duration.ZERO;
    private int maxCallsPerConversation;
    private double cost = 1;
    private int maxArgumentChars = 100_000;
    private int maxArgumentDepth = 32;

    private Builder(String name) {
      if (name.isBlank() || name.length() > 128) {
        throw new IllegalArgumentException("a tool name must be 1 to 128 characters and not blank but was '" + name + "'");
      }
      this.name = name;
    }

    /** The JSON Schema the arguments must conform to, as JSON text. */
    public Builder argumentsSchema(String schemaJson) {
      this.schemaJson = Objects.requireNonNull(schemaJson, "schemaJson");
      return this;
    }

    /** The draft assumed when the schema has no {@code $schema}; 2020-12 by default. */
    public Builder defaultDraft(SchemaDraft draft) {
      this.defaultDraft = Objects.requireNonNull(draft, "draft");
      return this;
    }

    /** Whether calls need the {@link ToolApprover}'s approval; false by default. */
    public Builder dangerous(boolean dangerous) {
      this.dangerous = dangerous;
      return this;
    }

    /**
     * At most {@code maxCalls} calls per tenant in any sliding window of {@code window}.
     *
     * @param maxCalls 1 to 1,000,000
     * @param window positive, at most a day; a JSON policy can give it as ISO-8601 ({@code PT1M})
     */
    public Builder rateLimit(int maxCalls, Duration window) {
      if (maxCalls < 1 || maxCalls > 1_000_000) {
        throw new IllegalArgumentException("rate limit calls must be between 1 and 1000000 but was " + maxCalls);
      }
      if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("rate limit window must be positive and at most a day but was " + window);
      }
      this.rateLimitCalls = maxCalls;
      this.rateLimitWindow = window;
      return this;
    }

    /** At most {@code maxCalls} calls per conversation (or per tenant without one); 0 for none (the default). */
    public Builder maxCallsPerConversation(int maxCalls) {
      if (maxCalls < 0) {
        throw new IllegalArgumentException("maxCallsPerConversation must not be negative but was " + maxCalls);
      }
      this.maxCallsPerConversation = maxCalls;
      return this;
    }

    /** What one call costs against the guard's cost budget; 1 by default. */
    public Builder cost(double cost) {
      if (!(cost >= 0) || Double.isInfinite(cost)) {
        throw new IllegalArgumentException("cost must be a finite number >= 0 but was " + cost);
      }
      this.cost = cost;
      return this;
    }

    /** The longest arguments text accepted, at least 2; 100,000 by default. */
    public Builder maxArgumentChars(int maxChars) {
      if (maxChars < 2) {
        throw new IllegalArgumentException("maxArgumentChars must be at least 2 but was " + maxChars);
      }
      this.maxArgumentChars = maxChars;
      return this;
    }

    /** The deepest nesting of arguments accepted, 1 to 1000; 32 by default. */
    public Builder maxArgumentDepth(int maxDepth) {
      if (maxDepth < 1 || maxDepth > 1000) {
        throw new IllegalArgumentException("maxArgumentDepth must be between 1 and 1000 but was " + maxDepth);
      }
      this.maxArgumentDepth = maxDepth;
      return this;
    }

    /**
     * Builds the policy, compiling the schema.
     *
     * @throws IllegalArgumentException if the schema is not a valid, self-contained JSON Schema
     */
    public ToolPolicy build() {
      JsonSchemaChecker checker;
      try {
        checker = JsonSchemaChecker.compile(schemaJson == null ? "true" : schemaJson, defaultDraft,
            maxArgumentDepth, maxArgumentChars);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tool '" + name + "': " + e.getMessage(), e);
      }
      return new ToolPolicy(this, checker);
    }
  }
}
