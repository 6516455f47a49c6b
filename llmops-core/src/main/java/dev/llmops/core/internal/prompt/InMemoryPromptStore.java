package dev.llmops.core.internal.prompt;

import dev.llmops.core.prompt.Label;
import dev.llmops.core.prompt.LabelChange;
import dev.llmops.core.prompt.LabelMove;
import dev.llmops.core.prompt.PromptDraft;
import dev.llmops.core.prompt.PromptNames;
import dev.llmops.core.prompt.PromptStore;
import dev.llmops.core.prompt.PromptVersion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link PromptStore} in memory. Thread-safe: every operation holds one lock, so each is atomic. */
public final class InMemoryPromptStore implements PromptStore {

  private final Clock clock;
  private final Map<String, List<PromptVersion>> versions = new TreeMap<>();
  private final Map<String, Map<String, Label>> labels = new HashMap<>();
  private final Map<String, List<LabelMove>> history = new HashMap<>();

  /** A store stamping times with {@code clock}. */
  public InMemoryPromptStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized PromptVersion create(PromptDraft draft) {
    List<PromptVersion> list = versions.get(draft.name());
    PromptVersion latest = list == null ? null : list.get(list.size() - 1);
    PromptVersion next = Versions.next(latest, draft, clock.instant());
    if (next != latest) {
      versions.computeIfAbsent(draft.name(), k -> new ArrayList<>()).add(next);
    }
    return next;
  }

  @Override
  public synchronized Optional<PromptVersion> version(String prompt, int version) {
    PromptNames.checkPrompt(prompt);
    List<PromptVersion> list = versions.getOrDefault(prompt, List.of());
    return version >= 1 && version <= list.size() ? Optional.of(list.get(version - 1)) : Optional.empty();
  }

  @Override
  public synchronized Optional<PromptVersion> latest(String prompt) {
    PromptNames.checkPrompt(prompt);
    List<PromptVersion> list = versions.getOrDefault(prompt, List.of());
    return list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
  }

  @Override
  public synchronized List<PromptVersion> versions(String prompt) {
    PromptNames.checkPrompt(prompt);
    return List.copyOf(versions.getOrDefault(prompt, List.of()));
  }

  @Override
  public synchronized List<String> prompts() {
    return List.copyOf(versions.keySet());
  }

  @Override
  public synchronized Optional<Label> label(String prompt, String label) {
    PromptNames.checkPrompt(prompt);
    PromptNames.checkLabel(label);
    return Optional.ofNullable(labels.getOrDefault(prompt, Map.of()).get(label));
  }

  @Override
  public synchronized List<Label> labels(String prompt) {
    PromptNames.checkPrompt(prompt);
    return List.copyOf(new TreeMap<>(labels.getOrDefault(prompt, Map.of())).values());
  }

  @Override
  public synchronized Label moveLabel(LabelChange change) {
    Label current = labels.getOrDefault(change.prompt(), Map.of()).get(change.label());
    int count = versions.getOrDefault(change.prompt(), List.of()).size();
    Versions.Move move = Versions.apply(current, change, v -> v >= 1 && v <= count, clock.instant());
    labels.computeIfAbsent(change.prompt(), k -> new HashMap<>()).put(change.label(), move.label());
    history.computeIfAbsent(change.prompt() + "\0" + change.label(), k -> new ArrayList<>()).add(move.move());
    return move.label();
  }

  @Override
  public synchronized List<LabelMove> history(String prompt, String label) {
    PromptNames.checkPrompt(prompt);
    PromptNames.checkLabel(label);
    return List.copyOf(history.getOrDefault(prompt + "\0" + label, List.of()));
  }

  @Override
  public String toString() {
    return "InMemoryPromptStore";
  }
}
