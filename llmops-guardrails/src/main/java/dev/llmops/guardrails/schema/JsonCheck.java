package dev.llmops.guardrails.schema;

import dev.llmops.core.TextSpan;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of checking a text against a JSON Schema with {@link JsonSchemaChecker}.
 *
 * @param status what was found
 * @param errors the parse error (one, with line and column) or the schema violations, in a stable order;
 *     empty when {@link Status#VALID}
 * @param span where the JSON value (or, for a parse error, the JSON candidate) lies in the checked text, or
 *     {@code null} when no JSON was found
 */
public record JsonCheck(Status status, List<SchemaError> errors, @Nullable TextSpan span) {

  /** What a check found. */
  public enum Status {
    /** A JSON value that conforms to the schema. */
    VALID,
    /** No JSON value where the extraction mode looked. */
    NOT_FOUND,
    /** Text that should be JSON but does not parse. */
    INVALID_JSON,
    /** JSON nested deeper than the configured limit. */
    TOO_DEEP,
    /** Text longer than the configured limit. */
    TOO_LARGE,
    /** JSON that parses but violates the schema. */
    SCHEMA_VIOLATION
  }

  /**
   * One error.
   *
   * @param path the JSON path of the offending value, such as {@code $.items[2].price}; {@code $} for the
   *     whole value and for parse errors
   * @param message what is wrong, such as {@code integer found, string expected} or, for parse errors,
   *     {@code line 3, column 7: unexpected character ...}
   */
  public record SchemaError(String path, String message) {
    /** Validates the fields. */
    public SchemaError {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  /** Validates and copies. */
  public JsonCheck {
    Objects.requireNonNull(status, "status");
    errors = List.copyOf(errors);
  }

  /** Whether the JSON was found, parsed and conforms. */
  public boolean valid() {
    return status == Status.VALID;
  }
}
