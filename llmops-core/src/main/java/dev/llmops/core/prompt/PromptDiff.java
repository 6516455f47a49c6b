package dev.llmops.core.prompt;

import dev.llmops.core.prompt.PromptTemplate.Chat;
import dev.llmops.core.prompt.PromptTemplate.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The differences between two versions of a prompt.
 *
 * @param from the older side, {@code name@version}
 * @param to the newer side
 * @param template the template lines: {@code "  "} unchanged, {@code "- "} only in {@code from}, {@code "+ "} only in
 *     {@code to}; chat messages start with a {@code [role]} line
 * @param settings the changed variables, model settings and tags, one line each, such as {@code temperature: 0.2 -> 0.7}
 */
public record PromptDiff(String from, String to, List<String> template, List<String> settings) {

  /** Validates and copies. */
  public PromptDiff {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    template = List.copyOf(template);
    settings = List.copyOf(settings);
  }

  /** Whether the two versions have the same template and settings. */
  public boolean isEmpty() {
    return settings.isEmpty() && template.stream().allMatch(l -> l.startsWith("  "));
  }

  /** The diff of two versions. */
  public static PromptDiff between(PromptVersion a, PromptVersion b) {
    List<String> template = lineDiff(lines(a.template()), lines(b.template()));
    List<String> settings = new ArrayList<>();
    compare(settings, "variables", a.variables(), b.variables());
    ModelConfig x = a.modelConfig();
    ModelConfig y = b.modelConfig();
    compare(settings, "model", x.model(), y.model());
    compare(settings, "temperature", x.temperature(), y.temperature());
    compare(settings, "maxTokens", x.maxTokens(), y.maxTokens());
    compare(settings, "stop", x.stop(), y.stop());
    compare(settings, "responseFormat", x.responseFormat(), y.responseFormat());
    compare(settings, "tags", new java.util.TreeSet<>(a.tags()), new java.util.TreeSet<>(b.tags()));
    return new PromptDiff(a.ref(), b.ref(), template, settings);
  }

  private static void compare(List<String> out, String field, Object x, Object y) {
    if (!Objects.equals(x, y)) {
      out.add(field + ": " + x + " -> " + y);
    }
  }

  private static List<String> lines(PromptTemplate template) {
    List<String> lines = new ArrayList<>();
    if (template instanceof Text text) {
      lines.addAll(text.template().lines().toList());
    } else if (template instanceof Chat chat) {
      for (MessageTemplate m : chat.messages()) {
        lines.add("[" + m.role().name().toLowerCase(Locale.ROOT) + "]");
        lines.addAll(m.template().lines().toList());
      }
    }
    return lines;
  }

  /** A line diff by longest common subsequence; beyond 4,000 x 4,000 lines it falls back to remove-all/add-all. */
  static List<String> lineDiff(List<String> a, List<String> b) {
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
        && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
      suffix++;
    }
    List<String> out = new ArrayList<>();
    a.subList(0, prefix).forEach(l -> out.add("  " + l));
    List<String> x = a.subList(prefix, a.size() - suffix);
    List<String> y = b.subList(prefix, b.size() - suffix);
    if ((long) x.size() * y.size() > 16_000_000L) {
      x.forEach(l -> out.add("- " + l));
      y.forEach(l -> out.add("+ " + l));
    } else {
      int[][] lcs = new int[x.size() + 1][y.size() + 1];
      for (int i = x.size() - 1; i >= 0; i--) {
        for (int j = y.size() - 1; j >= 0; j--) {
          lcs[i][j] = x.get(i).equals(y.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        }
      }
      int i = 0;
      int j = 0;
      while (i < x.size() || j < y.size()) {
        if (i < x.size() && j < y.size() && x.get(i).equals(y.get(j))) {
          out.add("  " + x.get(i++));
          j++;
        } else if (i < x.size() && (j == y.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
          out.add("- " + x.get(i++)); // removals before additions, as diff tools show them
        } else {
          out.add("+ " + y.get(j++));
        }
      }
    }
    a.subList(a.size() - suffix, a.size()).forEach(l -> out.add("  " + l));
    return out;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("--- " + from + "\n+++ " + to + "\n");
    template.forEach(l -> text.append(l).append('\n'));
    settings.forEach(l -> text.append("* ").append(l).append('\n'));
    return text.toString();
  }
}
