package dev.llmops.inference.internal.onnx;

import java.util.HashSet;
import java.util.Set;

/** Hands out value and node names that no other value or node in a graph uses. Not thread-safe. */
public final class UniqueNames {
  private final Set<String> taken;

  /** Names unique within {@code graph}, including its subgraphs. */
  public UniqueNames(OnnxGraph graph) {
    this.taken = graph.allNames();
  }

  /** Names unique among {@code taken}, which is copied. */
  public UniqueNames(Set<String> taken) {
    this.taken = new HashSet<>(taken);
  }

  /** {@code wanted} when free, otherwise {@code wanted_2}, {@code wanted_3}, ...; the name is then taken. */
  public String claim(String wanted) {
    String name = wanted;
    for (int i = 2; !taken.add(name); i++) {
      name = wanted + "_" + i;
    }
    return name;
  }
}
