package dev.llmops.core.prompt;

import dev.llmops.core.ConflictException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.internal.prompt.PromptRendering;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The prompt registry: create versions, move and split labels, roll back, resolve a label to the concrete version
 * for a caller, render, diff. Backed by any {@link PromptStore}; put {@link PromptStore#cached} in front of a
 * remote one. Thread-safe.
 *
 * <p>Meters: {@code llmops.prompt.renders} (tag {@code outcome}: {@code ok} or {@code error}).
 */
public final class PromptRegistry implements AutoCloseable {

  private final PromptStore store;
  private final boolean allowUnknownVariables;
  private final Counter rendered;
  private final Counter renderFailures;

  private PromptRegistry(Builder b) {
    this.store = b.store;
    this.allowUnknownVariables = b.allowUnknownVariables;
    this.rendered = Counter.builder("llmops.prompt.renders").description("prompt renders by outcome")
        .tag("outcome", "ok").register(b.meterRegistry);
    this.renderFailures = Counter.builder("llmops.prompt.renders").description("prompt renders by outcome")
        .tag("outcome", "error").register(b.meterRegistry);
  }

  /** A builder over {@code store}. */
  public static Builder builder(PromptStore store) {
    return new Builder(store);
  }

  /** The store behind the registry. */
  public PromptStore store() {
    return store;
  }

  /** Creates the next version; a draft identical to the latest version returns that version unchanged. */
  public PromptVersion create(PromptDraft draft) {
    return store.create(draft);
  }

  /**
   * A version by number.
   *
   * @throws NotFoundException if it does not exist
   */
  public PromptVersion version(String prompt, int version) {
    return store.version(prompt, version).orElseThrow(() -> new NotFoundException(
        "prompt '" + prompt + "' has no version " + version + existing(prompt)));
  }

  /** The newest version; {@link NotFoundException} if the prompt does not exist. */
  public PromptVersion latest(String prompt) {
    return store.latest(prompt).orElseThrow(() -> new NotFoundException("there is no prompt '" + prompt + "'"));
  }

  private String existing(String prompt) {
    return store.latest(prompt).map(v -> " (it has versions 1 to " + v.version() + ")").orElse(" (it does not exist)");
  }

  /** Every version of a prompt, oldest first. */
  public List<PromptVersion> versions(String prompt) {
    return store.versions(prompt);
  }

  /** Every prompt name. */
  public List<String> prompts() {
    return store.prompts();
  }

  /** A label's state; {@link NotFoundException} if it is not assigned. */
  public Label label(String prompt, String label) {
    return store.label(prompt, label).orElseThrow(() -> new NotFoundException(
        "prompt '" + prompt + "' has no label '" + label + "'" + labelsOf(prompt)));
  }

  private String labelsOf(String prompt) {
    List<Label> labels = store.labels(prompt);
    return labels.isEmpty() ? " (it has no labels)" : " (its labels: " + labels.stream().map(Label::name).toList() + ")";
  }

  /** Every label of a prompt. */
  public List<Label> labels(String prompt) {
    return store.labels(prompt);
  }

  /**
   * The version {@code label} serves to {@code unitId} (a user, session or tenant id): the label's only version, or
   * for a split, the version the unit's hash bucket falls in (the same unit always gets the same version).
   */
  public ResolvedPrompt resolve(String prompt, String label, String unitId) {
    Objects.requireNonNull(unitId, "unitId");
    Label state = label(prompt, label);
    return new ResolvedPrompt(version(prompt, state.versionFor(unitId)), label, state.revision());
  }

  /** The version a label points at; an {@link InvalidRequestException} if the label splits traffic. */
  public ResolvedPrompt resolve(String prompt, String label) {
    Label state = label(prompt, label);
    return new ResolvedPrompt(version(prompt, state.version()), label, state.revision());
  }

  /** Points {@code label} at one version (creating the label if needed), recording who and why. */
  public Label moveLabel(String prompt, String label, int version, String author, String reason) {
    return split(prompt, label, List.of(Allocation.all(version)), author, reason);
  }

  /**
   * Points {@code label} at several versions with shares, such as v3 90% / v4 10%. Reads the label's revision
   * and moves it from there; if someone moves it in between, a {@link ConflictException} says so.
   */
  public Label split(String prompt, String label, List<Allocation> allocations, String author, String reason) {
    long revision = store.label(prompt, label).map(Label::revision).orElse(0L);
    return store.moveLabel(new LabelChange(prompt, label, allocations, revision, author, reason));
  }

  /**
   * Moves {@code label} back to what it pointed at before its last move.
   *
   * @throws ConflictException if the label has no earlier state, or moved meanwhile
   */
  public Label rollback(String prompt, String label, String author, String reason) {
    List<LabelMove> history = store.history(prompt, label);
    if (history.isEmpty()) {
      throw new NotFoundException("prompt '" + prompt + "' has no label '" + label + "'" + labelsOf(prompt));
    }
    LabelMove last = history.get(history.size() - 1);
    if (last.from().isEmpty()) {
      throw new ConflictException("label '" + label + "' of prompt '" + prompt + "' has no earlier state to roll back to"
          + " (this is its first assignment)");
    }
    // Expect the revision the history ends at: if the label moved since, the store says so (and a cache in front
    // of it drops its stale copy).
    return store.moveLabel(new LabelChange(prompt, label, last.from(), last.revision(), author,
        reason.isBlank() ? "rollback of r" + last.revision() : reason));
  }

  /** Every move of a label, oldest first. */
  public List<LabelMove> history(String prompt, String label) {
    return store.history(prompt, label);
  }

  /** The differences between two versions of a prompt. */
  public PromptDiff diff(String prompt, int from, int to) {
    return PromptDiff.between(version(prompt, from), version(prompt, to));
  }

  /**
   * Renders a version with {@code values}.
   *
   * @throws InvalidRequestException naming every missing variable, or every unknown one (unless the registry
   *     allows unknown variables)
   */
  public RenderedPrompt render(PromptVersion version, Map<String, ?> values) {
    try {
      RenderedPrompt result = PromptRendering.render(version, values, allowUnknownVariables);
      rendered.increment();
      return result;
    } catch (LlmOpsException e) {
      renderFailures.increment();
      throw e;
    }
  }

  /** Renders the version a label serves to {@code unitId}. */
  public RenderedPrompt render(String prompt, String label, String unitId, Map<String, ?> values) {
    return render(resolve(prompt, label, unitId).version(), values);
  }

  /** Closes the store. */
  @Override
  public void close() {
    store.close();
  }

  /** Builds a {@link PromptRegistry}. Not thread-safe. */
  public static final class Builder {
    private final PromptStore store;
    private boolean allowUnknownVariables;
    private MeterRegistry meterRegistry = Metrics.globalRegistry;

    private Builder(PromptStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** Whether values a version does not declare are ignored when rendering instead of refused; default false. */
    public Builder allowUnknownVariables(boolean allow) {
      this.allowUnknownVariables = allow;
      return this;
    }

    /** Where meters go; default Micrometer's global registry. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Builds the registry. */
    public PromptRegistry build() {
      return new PromptRegistry(this);
    }
  }
}
