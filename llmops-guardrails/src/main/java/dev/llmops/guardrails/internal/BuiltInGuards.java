package dev.llmops.guardrails.internal;

import dev.llmops.guardrails.chain.GuardFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The factories of the guards that ship with the module, by the name policy files use. */
public final class BuiltInGuards {

  private static final Map<String, GuardFactory> FACTORIES = load();

  private BuiltInGuards() {}

  private static Map<String, GuardFactory> load() {
    Map<String, GuardFactory> map = new TreeMap<>();
    for (GuardFactory f : List.<GuardFactory>of()) {
      map.put(f.guard(), f);
    }
    return Map.copyOf(map);
  }

  /** The factory for {@code guard}, if it is built in. */
  public static Optional<GuardFactory> factory(String guard) {
    return Optional.ofNullable(FACTORIES.get(guard));
  }

  /** The built-in guard names, sorted. */
  public static List<String> names() {
    return FACTORIES.keySet().stream().sorted().toList();
  }
}
