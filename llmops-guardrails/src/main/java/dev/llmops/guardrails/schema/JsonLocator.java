package dev.llmops.guardrails.schema;

import dev.llmops.core.TextSpan;
import dev.llmops.guardrails.schema.JsonCheck.Status;
import org.jspecify.annotations.Nullable;

/** Finds JSON candidates in an answer with plain scans (no regular expressions), linear in the text length. */
final class JsonLocator {

  /** How many opening brackets {@link #firstValue} tries before giving up. */
  static final int MAX_CANDIDATES = 16;

  private JsonLocator() {}

  static boolean startsWithStructure(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c) && c != '\uFEFF') {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  /**
   * The content of the first fenced code block (three backticks, an optional info string such as {@code json}
   * up to the end of the line, the content, three backticks); an unclosed fence runs to the end of the text.
   * {@code null} if there is no fence.
   */
  static @Nullable TextSpan fencedBlock(String text) {
    int open = text.indexOf("```");
    if (open < 0) {
      return null;
    }
    int lineEnd = text.indexOf('\n', open + 3);
    if (lineEnd < 0) {
      return null;
    }
    String info = text.substring(open + 3, lineEnd).strip();
    if (info.contains("`") || info.contains(" ")) {
      return null;
    }
    int start = lineEnd + 1;
    int close = text.indexOf("```", start);
    return new TextSpan(start, close < 0 ? text.length() : close);
  }

  /**
   * Checks the first top-level object or array that parses: tries up to {@link #MAX_CANDIDATES} opening
   * brackets in order and returns the first outcome that is not a parse error, else the first parse error.
   */
  static JsonCheck firstValue(JsonSchemaChecker checker, String text) {
    JsonCheck firstError = null;
    int tried = 0;
    int i = 0;
    while (tried < MAX_CANDIDATES) {
      int brace = text.indexOf('{', i);
      int bracket = text.indexOf('[', i);
      int at = brace < 0 ? bracket : bracket < 0 ? brace : Math.min(brace, bracket);
      if (at < 0) {
        break;
      }
      tried++;
      int end = (int) Math.min(text.length(), (long) at + checker.maxChars());
      JsonCheck check = checker.check(text, at, end, false);
      if (check.status() != Status.INVALID_JSON) {
        return check;
      }
      if (firstError == null) {
        firstError = check;
      }
      i = at + 1;
    }
    return firstError != null ? firstError
        : new JsonCheck(Status.NOT_FOUND, java.util.List.of(new JsonCheck.SchemaError("$",
            "no JSON object or array found in the answer")), null);
  }
}
