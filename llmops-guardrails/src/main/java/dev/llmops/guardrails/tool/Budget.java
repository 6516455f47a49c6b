package dev.llmops.guardrails.tool;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The calls per tool and the cost spent in one conversation (or by one tenant). Thread safe. */
final class Budget {

  private final Map<String, Integer> calls = new HashMap<>();
  private double spent;
  private long lastUsed;

  /**
   * Reserves one call of {@code tool}, or returns why not.
   *
   * @return {@code null} if reserved, else the reason
   */
  synchronized @Nullable String tryReserve(String tool, int maxCalls, double cost, double costBudget, long now) {
    lastUsed = now;
    int used = calls.getOrDefault(tool, 0);
    if (maxCalls > 0 && used >= maxCalls) {
      return "tool '" + tool + "' used its " + maxCalls + " calls for this conversation";
    }
    if (costBudget > 0 && spent + cost > costBudget + 1e-9) {
      return "the cost budget of " + costBudget + " for this conversation would be exceeded";
    }
    calls.put(tool, used + 1);
    spent += cost;
    return null;
  }

  synchronized void release(String tool, double cost) {
    calls.computeIfPresent(tool, (k, v) -> v <= 1 ? null : v - 1);
    spent = Math.max(0, spent - cost);
  }

  synchronized long lastUsed() {
    return lastUsed;
  }
}
