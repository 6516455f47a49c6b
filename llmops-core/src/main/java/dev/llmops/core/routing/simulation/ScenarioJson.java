package dev.llmops.core.routing.simulation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.InvalidRequestException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A strict reader of a scenario's JSON: every value is read at a path ({@code deployments[1].errorRate}), and
 * every problem (unknown key, missing key, wrong type, value out of range) is an {@link InvalidRequestException}
 * that names the origin and the path.
 */
final class ScenarioJson {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final String origin;

  ScenarioJson(String origin) {
    this.origin = origin;
  }

  /** The root object of {@code json}. */
  Node root(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new InvalidRequestException(origin + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new InvalidRequestException(origin + ": the scenario is empty; it must be a JSON object");
    }
    return new Node(node, "");
  }

  /** A failure at {@code path}. */
  InvalidRequestException problem(String path, String message) {
    return problem(path, message, null);
  }

  /** A failure at {@code path} caused by {@code cause}. */
  InvalidRequestException problem(String path, String message, @Nullable Throwable cause) {
    return new InvalidRequestException(origin + ": " + (path.isEmpty() ? "the scenario" : path) + " " + message, cause);
  }

  /** A value at a path. */
  final class Node {
    final JsonNode value;
    final String path;

    Node(JsonNode value, String path) {
      this.value = value;
      this.path = path;
    }

    private String child(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    /** Checks that this is an object whose keys are all in {@code allowed}. */
    Node object(Set<String> allowed) {
      if (!value.isObject()) {
        throw problem(path, "must be an object but was " + describe(value));
      }
      Set<String> unknown = new TreeSet<>();
      for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!allowed.contains(name)) {
          unknown.add(name);
        }
      }
      if (!unknown.isEmpty()) {
        throw problem(path, "has unknown key(s) " + unknown + "; allowed: " + new TreeSet<>(allowed));
      }
      return this;
    }

    /** Checks that this is an object, whatever its keys (a map keyed by names). */
    Node map() {
      if (!value.isObject()) {
        throw problem(path, "must be an object but was " + describe(value));
      }
      return this;
    }

    /** The keys of a map, in document order. */
    List<String> keys() {
      List<String> keys = new ArrayList<>();
      value.fieldNames().forEachRemaining(keys::add);
      return keys;
    }

    boolean has(String key) {
      return value.has(key);
    }

    /** Whether the key is present with an explicit {@code null}. */
    boolean isNull(String key) {
      JsonNode v = value.get(key);
      return v != null && v.isNull();
    }

    Node get(String key) {
      JsonNode v = value.get(key);
      if (v == null || v.isNull()) {
        throw problem(child(key), "is missing");
      }
      return new Node(v, child(key));
    }

    @Nullable Node optional(String key) {
      JsonNode v = value.get(key);
      return v == null || v.isNull() ? null : new Node(v, child(key));
    }

    /** The elements of this array; {@code nonEmpty} refuses an empty one. */
    List<Node> elements(boolean nonEmpty) {
      if (!value.isArray()) {
        throw problem(path, "must be an array but was " + describe(value));
      }
      if (nonEmpty && value.isEmpty()) {
        throw problem(path, "must not be empty");
      }
      List<Node> out = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        out.add(new Node(value.get(i), path + "[" + i + "]"));
      }
      return out;
    }

    double number() {
      if (!value.isNumber()) {
        throw problem(path, "must be a number but was " + describe(value));
      }
      double d = value.doubleValue();
      if (!Double.isFinite(d)) {
        throw problem(path, "must be a finite number but was " + value);
      }
      return d;
    }

    double numberWithin(double low, double high) {
      double d = number();
      if (!(d >= low && d <= high)) {
        throw problem(path, "must be within [" + plain(low) + ", " + plain(high) + "] but was " + value);
      }
      return d;
    }

    double positive() {
      double d = number();
      if (!(d > 0)) {
        throw problem(path, "must be positive but was " + value);
      }
      return d;
    }

    double atLeast(double low) {
      double d = number();
      if (!(d >= low)) {
        throw problem(path, "must be at least " + plain(low) + " but was " + value);
      }
      return d;
    }

    long integer(long low, long high) {
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw problem(path, "must be a whole number but was " + describe(value));
      }
      long v = value.longValue();
      if (v < low || v > high) {
        throw problem(path, "must be within [" + low + ", " + high + "] but was " + v);
      }
      return v;
    }

    String text() {
      if (!value.isTextual()) {
        throw problem(path, "must be a string but was " + describe(value));
      }
      if (value.textValue().isBlank()) {
        throw problem(path, "must not be blank");
      }
      return value.textValue();
    }

    boolean bool() {
      if (!value.isBoolean()) {
        throw problem(path, "must be true or false but was " + describe(value));
      }
      return value.booleanValue();
    }

    /** An ISO-8601 duration such as {@code PT2M}, positive or zero. */
    Duration duration() {
      String text = text();
      try {
        Duration d = Duration.parse(text);
        if (d.isNegative()) {
          throw problem(path, "must not be negative but was " + text);
        }
        return d;
      } catch (DateTimeParseException e) {
        throw problem(path, "must be an ISO-8601 duration such as PT2M or PT15S but was '" + text + "'");
      }
    }

    /** One of {@code values}' names, case-insensitive, {@code -} read as {@code _}. */
    <E extends Enum<E>> E enumValue(Class<E> type) {
      String text = text();
      String key = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (E e : type.getEnumConstants()) {
        if (e.name().equals(key)) {
          return e;
        }
      }
      List<String> names = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        names.add(e.name().toLowerCase(Locale.ROOT));
      }
      throw problem(path, "must be one of " + names + " but was '" + text + "'");
    }
  }

  private static String plain(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "the string \"" + node.textValue() + "\"";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    return node.toString();
  }
}
