package dev.llmops.core.prompt;

import dev.llmops.core.InvalidRequestException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A variable a prompt version declares.
 *
 * @param name the name used in the template, such as {@code question}
 * @param defaultValue the value used when the caller gives none, or {@code null} if the variable is required
 */
public record VariableSpec(String name, @Nullable String defaultValue) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  /** Validates the name. */
  public VariableSpec {
    if (!NAME.matcher(name).matches()) {
      throw new InvalidRequestException("invalid variable name '" + name + "': use a letter or '_' followed by up to 63"
          + " letters, digits or '_'");
    }
    if (defaultValue != null) {
      PromptNames.checkText("the default of variable '" + name + "'", defaultValue);
    }
  }

  /** A variable the caller must give. */
  public static VariableSpec required(String name) {
    return new VariableSpec(name, null);
  }

  /** A variable with a default. */
  public static VariableSpec optional(String name, String defaultValue) {
    return new VariableSpec(name, defaultValue);
  }

  /** Whether the caller must give it. */
  public boolean isRequired() {
    return defaultValue == null;
  }
}
