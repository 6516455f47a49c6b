package dev.llmops.guardrails.chain;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code options} object of one guard in a policy file, read with types and with errors that name the file
 * and the JSON path of the bad value. A {@link GuardFactory} reads what it understands; {@link #requireAllRead()}
 * then rejects keys nobody read, so a misspelt option is an error rather than silently ignored.
 *
 * <p>Values are JSON values converted to Java: strings, {@link Number}s, booleans, {@link List}s and {@link Map}s.
 * Not thread-safe; used once while a chain is built.
 */
public final class GuardOptions {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private final String path;
  private final Map<String, Object> values;
  private final Set<String> read = new LinkedHashSet<>();

  /**
   * Wraps option values.
   *
   * @param path where they come from, such as {@code policy.json: input[1].options}, used in error messages
   * @param values the options
   */
  public GuardOptions(String path, Map<String, ?> values) {
    this.path = path;
    this.values = new LinkedHashMap<>(values);
  }

  /** The path of {@code key} under these options: {@code file.json: input[0].options.key}. */
  private String at(String key) {
    return path.endsWith(":") ? path + " " + key : path + "." + key;
  }

  /** Where these options come from. */
  public String path() {
    return path;
  }

  /** The options as given, without marking any as read. */
  Map<String, Object> rawMap() {
    return java.util.Collections.unmodifiableMap(values);
  }

  /** The keys given, without marking any as read (for options whose keys are names, such as entity types). */
  public java.util.Set<String> rawKeys() {
    return java.util.Collections.unmodifiableSet(values.keySet());
  }

  /** The values given, without marking any as read. */
  public java.util.Collection<Object> rawValues() {
    return java.util.Collections.unmodifiableCollection(values.values());
  }

  /** Parses {@code value} as an enum constant written in lower case with dashes, naming this path when it fails. */
  public <E extends Enum<E>> E parse(String value, Class<E> type) {
    return parseEnum(path, value, type);
  }

  /** Whether {@code key} is present. */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** A string option, or {@code fallback}. */
  public String string(String key, String fallback) {
    Object v = take(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s)) {
      throw bad(key, v, "a string");
    }
    return s;
  }

  /** A required string option. */
  public String requiredString(String key) {
    if (!has(key)) {
      throw new IllegalArgumentException(at(key) + " is required");
    }
    return string(key, "");
  }

  /** A number option, or {@code fallback}. */
  public double number(String key, double fallback) {
    Object v = take(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n)) {
      throw bad(key, v, "a number");
    }
    return n.doubleValue();
  }

  /** A number option that must lie in {@code [min, max]}, or {@code fallback}. */
  public double number(String key, double fallback, double min, double max) {
    double d = number(key, fallback);
    if (!(d >= min && d <= max)) {
      throw new IllegalArgumentException(at(key) + " must be in [" + min + ", " + max + "] but was " + d);
    }
    return d;
  }

  /** A whole-number option, or {@code fallback}. */
  public int integer(String key, int fallback) {
    Object v = take(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
      throw bad(key, v, "a whole number");
    }
    return n.intValue();
  }

  /** A boolean option, or {@code fallback}. */
  public boolean bool(String key, boolean fallback) {
    Object v = take(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw bad(key, v, "true or false");
    }
    return b;
  }

  /**
   * An enum option written in lower case with dashes ({@code "fail-closed"} for {@code FAIL_CLOSED}), or
   * {@code fallback}.
   */
  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
    Object v = take(key);
    if (v == null) {
      return fallback;
    }
    return parseEnum(at(key), v, type);
  }

  /** A list-of-strings option, or {@code fallback}. */
  public List<String> strings(String key, List<String> fallback) {
    Object v = take(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof List<?> list)) {
      throw bad(key, v, "a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s)) {
        throw new IllegalArgumentException(at(key) + "[" + i + "] must be a string but was " + list.get(i));
      }
      out.add(s);
    }
    return out;
  }

  /** An object option whose values are all strings, or {@code fallback}. */
  public Map<String, String> stringMap(String key, Map<String, String> fallback) {
    Map<String, Object> map = object(key);
    if (map == null) {
      return fallback;
    }
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (!(v instanceof String s)) {
        throw new IllegalArgumentException(at(key) + "." + k + " must be a string but was " + v);
      }
      out.put(k, s);
    });
    return out;
  }

  /** An object option whose values are lists of strings, or {@code fallback}. */
  public Map<String, List<String>> stringListMap(String key, Map<String, List<String>> fallback) {
    Map<String, Object> map = object(key);
    if (map == null) {
      return fallback;
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    GuardOptions nested = new GuardOptions(at(key), map);
    for (String k : map.keySet()) {
      out.put(k, nested.strings(k, List.of()));
    }
    return out;
  }

  /** An object option as nested options (its own path, its own unread-key check), or {@code null}. */
  public @Nullable GuardOptions nested(String key) {
    Map<String, Object> map = object(key);
    return map == null ? null : new GuardOptions(at(key), map);
  }

  /** A list-of-objects option as nested options, or an empty list. */
  public List<GuardOptions> nestedList(String key) {
    Object v = take(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw bad(key, v, "a list of objects");
    }
    List<GuardOptions> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException(at(key) + "[" + i + "] must be an object but was " + list.get(i));
      }
      out.add(new GuardOptions(at(key) + "[" + i + "]", stringKeys(m)));
    }
    return out;
  }

  /** A raw JSON value (for embedded documents such as a JSON Schema), or {@code null}. */
  public @Nullable Object raw(String key) {
    return take(key);
  }

  /** A duration option ({@code "250ms"}, {@code "2s"}, {@code "1m"}, or ISO-8601 {@code "PT2S"}), or {@code fallback}. */
  public @Nullable Duration duration(String key, @Nullable Duration fallback) {
    Object v = take(key);
    if (v == null) {
      return fallback;
    }
    return parseDuration(at(key), v);
  }

  /**
   * Rejects every key no getter has read.
   *
   * @throws IllegalArgumentException naming the unknown keys and the ones that were read
   */
  public void requireAllRead() {
    Set<String> unknown = new LinkedHashSet<>(values.keySet());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(path.replaceFirst(":$", "") + " has unknown option(s) " + unknown
          + (read.isEmpty() ? "; this guard takes no options" : "; known here: " + read));
    }
  }

  private @Nullable Map<String, Object> object(String key) {
    Object v = take(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw bad(key, v, "an object");
    }
    return stringKeys(m);
  }

  private static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, val) -> out.put(String.valueOf(k), val));
    return out;
  }

  private @Nullable Object take(String key) {
    read.add(key);
    return values.get(key);
  }

  private IllegalArgumentException bad(String key, Object value, String expected) {
    return new IllegalArgumentException(at(key) + " must be " + expected + " but was " + describe(value));
  }

  private static String describe(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  static <E extends Enum<E>> E parseEnum(String where, Object value, Class<E> type) {
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      String spelled = e.name().toLowerCase(Locale.ROOT).replace('_', '-');
      allowed.add(spelled);
      if (value instanceof String s && (s.equals(spelled) || s.equals(e.name()))) {
        return e;
      }
    }
    throw new IllegalArgumentException(where + " must be one of " + allowed + " but was " + describe(value));
  }

  static Duration parseDuration(String where, Object value) {
    if (value instanceof String s) {
      Matcher m = DURATION.matcher(s.trim());
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
        if (!d.isZero()) {
          return d;
        }
      } else {
        try {
          Duration d = Duration.parse(s.trim());
          if (!d.isNegative() && !d.isZero()) {
            return d;
          }
        } catch (DateTimeParseException ignored) {
          // reported below
        }
      }
    }
    throw new IllegalArgumentException(
        where + " must be a positive duration such as \"250ms\", \"2s\" or \"PT1M\" but was " + describe(value));
  }
}
