package dev.llmops.core.chat;

import org.jspecify.annotations.Nullable;

/**
 * Whether and which tool the model must call.
 *
 * @param mode the policy
 * @param functionName the function the model must call when {@code mode} is {@link Mode#FUNCTION}
 */
public record ToolChoice(Mode mode, @Nullable String functionName) {

  /** The policies. */
  public enum Mode {
    /** The model decides. */
    AUTO,
    /** The model must not call tools. */
    NONE,
    /** The model must call at least one tool. */
    REQUIRED,
    /** The model must call {@link ToolChoice#functionName()}. */
    FUNCTION
  }

  /** Validates that a function name is given exactly when the mode needs one. */
  public ToolChoice {
    if ((mode == Mode.FUNCTION) != (functionName != null)) {
      throw new IllegalArgumentException(
          "a function name is required with mode FUNCTION and only then, but mode was " + mode
              + " and function name " + functionName);
    }
  }

  /** The model decides. */
  public static ToolChoice auto() {
    return new ToolChoice(Mode.AUTO, null);
  }

  /** No tool calls. */
  public static ToolChoice none() {
    return new ToolChoice(Mode.NONE, null);
  }

  /** At least one tool call. */
  public static ToolChoice required() {
    return new ToolChoice(Mode.REQUIRED, null);
  }

  /** A call of the named function. */
  public static ToolChoice function(String name) {
    return new ToolChoice(Mode.FUNCTION, name);
  }
}
