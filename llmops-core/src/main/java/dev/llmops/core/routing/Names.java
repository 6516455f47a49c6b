package dev.llmops.core.routing;

import dev.llmops.core.InvalidRequestException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The rule for names of deployments, releases, routes and experiments. */
final class Names {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:/-]{0,127}");

  private Names() {}

  /** Checks {@code name} and returns it. */
  static String check(String what, @Nullable String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidRequestException("a " + what + " name must be 1 to 128 letters, digits or . _ @ : / - "
          + "(starting with a letter or digit) but was " + (name == null ? "null" : "'" + name + "'"));
    }
    return name;
  }
}
