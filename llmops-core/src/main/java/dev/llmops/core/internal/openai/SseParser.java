package dev.llmops.core.internal.openai;

import org.jspecify.annotations.Nullable;

/**
 * Turns the lines of a {@code text/event-stream} body into event data, per the HTML server-sent events
 * rules: {@code data:} lines accumulate (joined by newlines), a blank line dispatches the event, lines
 * starting with {@code :} are comments, other fields are ignored. Not thread-safe.
 */
public final class SseParser {

  private final StringBuilder data = new StringBuilder();
  private boolean hasData;

  /** Creates a parser with no pending event. */
  public SseParser() {}

  /**
   * Feeds one line (without its terminator).
   *
   * @return the data of the event this line completes, or {@code null}
   */
  public @Nullable String feed(String line) {
    if (line.isEmpty()) {
      return flush();
    }
    if (line.startsWith(":")) {
      return null;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      if (hasData) {
        data.append('\n');
      }
      data.append(value);
      hasData = true;
    }
    return null;
  }

  /** The data of a pending event at the end of the stream, or {@code null}. */
  public @Nullable String flush() {
    if (!hasData) {
      return null;
    }
    String event = data.toString();
    data.setLength(0);
    hasData = false;
    return event;
  }
}
