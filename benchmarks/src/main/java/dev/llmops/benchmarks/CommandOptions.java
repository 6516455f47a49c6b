package dev.llmops.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value}, shared by the comparisons. */
final class CommandOptions {

  private CommandOptions() {}

  /**
   * The options given, by name; an option given twice keeps its last value.
   *
   * @throws IllegalArgumentException for an option without a value or one not in {@code known}
   */
  static Map<String, String> parse(String[] args, Set<String> known) {
    Map<String, String> options = new LinkedHashMap<>();
    parseRepeatable(args, known).forEach((name, values) -> options.put(name, values.get(values.size() - 1)));
    return options;
  }

  /**
   * Every value of each option given, by name, in order: {@code --run a --run b} gives {@code --run: [a, b]}.
   *
   * @throws IllegalArgumentException for an option without a value or one not in {@code known}
   */
  static Map<String, List<String>> parseRepeatable(String[] args, Set<String> known) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!known.contains(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + known);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      options.computeIfAbsent(args[i], name -> new ArrayList<>()).add(args[i + 1]);
    }
    return options;
  }
}
