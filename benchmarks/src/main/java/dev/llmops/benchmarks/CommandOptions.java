package dev.llmops.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value}, shared by the comparisons. */
final class CommandOptions {

  private CommandOptions() {}

  /**
   * The options given, by name.
   *
   * @throws IllegalArgumentException for an option without a value or one not in {@code known}
   */
  static Map<String, String> parse(String[] args, Set<String> known) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!known.contains(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + known);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      options.put(args[i], args[i + 1]);
    }
    return options;
  }
}
