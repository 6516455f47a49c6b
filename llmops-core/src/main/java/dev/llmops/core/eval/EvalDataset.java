package dev.llmops.core.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.embedding.EmbeddingModel;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A golden dataset: the cases that could be read, and the rows that could not. Immutable and thread-safe.
 *
 * <p>The file format is JSON Lines, one case per line (blank lines are skipped):
 *
 * <pre>{@code
 * {"id": "refund-1", "input": {"prompt": "How long do refunds for {{product}} take?"}, "vars": {"product": "shoes"},
 *  "expected": "Five business days.", "context": ["Refunds take five business days. [policy 4.2]"],
 *  "assert": [{"type": "contains", "value": "five", "ignore_case": true}, {"type": "grounded", "threshold": 0.8,
 *  "weight": 2}], "weight": 1, "repeat": 3, "tags": ["billing"]}
 * }</pre>
 *
 * <ul>
 *   <li>{@code id} (required): a string or an integer, unique in the file;</li>
 *   <li>{@code input} (required): {@code {"prompt": "..."}} (optionally with {@code "system": "..."}),
 *       {@code {"messages": [{"role": "system|user|assistant", "content": "..."}, ...]}}, or a plain string as
 *       the prompt. {@code {{name}}} placeholders are filled from {@code vars} (strings, numbers or booleans);</li>
 *   <li>{@code expected}: the answer assertions without a {@code value} compare with ({@code equals},
 *       {@code similar});</li>
 *   <li>{@code context}: passages, as strings (cited as {@code [1]}, {@code [2]}, ...) or
 *       {@code {"id": "doc-7", "text": "..."}};</li>
 *   <li>{@code assert}: objects with {@code type}, and by type {@code value}, {@code threshold},
 *       {@code ignore_case}, and {@code weight} (default 1). Types: {@code equals}, {@code contains},
 *       {@code not-contains}, {@code regex}, {@code is-json}, {@code json-schema} (value: the schema),
 *       {@code similar} (value or expected; threshold default 0.8; needs {@link Loader#embeddingModel}),
 *       {@code grounded} (threshold default 0.8), {@code citation}, {@code latency} (value: milliseconds),
 *       {@code cost} (value: amount), and any type registered with {@link Loader#customAssertion};</li>
 *   <li>{@code weight} (default 1, positive), {@code repeat} (1 to 1000; default the runner's),
 *       {@code tags} (strings).</li>
 * </ul>
 * Unknown keys are errors (so a misspelt {@code "asert"} does not silently drop the checks).
 *
 * <p><b>Bad rows do not stop the dataset.</b> A line that is not a JSON object, or a row with a missing or wrong
 * field, becomes a {@link DatasetError} naming the file, the line and what is wrong; the other rows load, and the
 * runner lists the bad rows in its report.
 */
public final class EvalDataset {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> ROW_KEYS =
      Set.of("id", "input", "vars", "expected", "context", "assert", "weight", "repeat", "tags");
  private static final Set<String> ASSERT_KEYS = Set.of("type", "value", "weight", "threshold", "ignore_case");
  private static final List<String> BUILT_IN_TYPES = List.of("equals", "contains", "not-contains", "regex", "is-json",
      "json-schema", "similar", "grounded", "citation", "latency", "cost");

  private final String source;
  private final List<EvalCase> cases;
  private final List<DatasetError> errors;

  private EvalDataset(String source, List<EvalCase> cases, List<DatasetError> errors) {
    this.source = source;
    this.cases = List.copyOf(cases);
    this.errors = List.copyOf(errors);
  }

  /**
   * A dataset of cases built in code.
   *
   * @throws InvalidRequestException if two cases share an id
   */
  public static EvalDataset of(String source, List<EvalCase> cases) {
    Set<String> ids = new HashSet<>();
    for (EvalCase c : cases) {
      if (!ids.add(c.id())) {
        throw new InvalidRequestException("dataset " + source + " has two cases with id '" + c.id() + "'");
      }
    }
    return new EvalDataset(source, cases, List.of());
  }

  /** {@link #loader()}{@code .load(file)}: a dataset file with the built-in assertion types and no embedding model. */
  public static EvalDataset load(Path file) {
    return loader().load(file);
  }

  /** {@link #loader()}{@code .parse(jsonLines, source)}. */
  public static EvalDataset parse(String jsonLines, String source) {
    return loader().parse(jsonLines, source);
  }

  /** Starts a loader, to give it an embedding model, a grounding scorer or custom assertion types. */
  public static Loader loader() {
    return new Loader();
  }

  /** The file name or the name the dataset was given. */
  public String source() {
    return source;
  }

  /** The cases, in file order. */
  public List<EvalCase> cases() {
    return cases;
  }

  /** The rows that could not be read, in file order; empty when every row was good. */
  public List<DatasetError> errors() {
    return errors;
  }

  @Override
  public String toString() {
    return "EvalDataset[" + source + ", " + cases.size() + " cases, " + errors.size() + " bad rows]";
  }

  /** Reads datasets. Configure, then call {@link #load} or {@link #parse} from any number of threads. */
  public static final class Loader {
    private @Nullable EmbeddingModel embeddingModel;
    private GroundingScorer groundingScorer = GroundingScorer.tokenOverlap();
    private final Map<String, Assertion> custom = new LinkedHashMap<>();

    private Loader() {}

    /** The model behind {@code similar} assertions; without one, rows that use them are bad rows. */
    public Loader embeddingModel(@Nullable EmbeddingModel model) {
      this.embeddingModel = model;
      return this;
    }

    /** The scorer behind {@code grounded} assertions (default {@link GroundingScorer#tokenOverlap()}). */
    public Loader groundingScorer(GroundingScorer scorer) {
      this.groundingScorer = Objects.requireNonNull(scorer, "scorer");
      return this;
    }

    /**
     * Lets rows use {@code {"type": type}} for {@code assertion}, such as a Java predicate.
     *
     * @throws InvalidRequestException if type is blank or a built-in type
     */
    public Loader customAssertion(String type, Assertion assertion) {
      if (type == null || type.isBlank() || BUILT_IN_TYPES.contains(type)) {
        throw new InvalidRequestException("a custom assertion type must be non-blank and not one of "
            + BUILT_IN_TYPES + " but was " + (type == null ? "null" : "'" + type + "'"));
      }
      custom.put(type, Objects.requireNonNull(assertion, "assertion"));
      return this;
    }

    /**
     * Reads a dataset file (UTF-8).
     *
     * @throws NotFoundException if the file does not exist
     * @throws CorruptDataException if it is not UTF-8 text
     * @throws UnavailableException if it cannot be read
     */
    public EvalDataset load(Path file) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new NotFoundException("dataset file " + file + " does not exist", e);
      } catch (CharacterCodingException e) {
        throw new CorruptDataException("dataset file " + file + " is not UTF-8 text", e);
      } catch (IOException e) {
        throw new UnavailableException("could not read dataset file " + file + ": " + e.getMessage(), null, e);
      }
      Path name = file.getFileName();
      return parse(text, name == null ? file.toString() : name.toString());
    }

    /**
     * Reads a dataset from JSON Lines text; bad rows become {@link DatasetError}s named with {@code source}.
     *
     * @param jsonLines the rows
     * @param source the name errors give, such as the file name
     */
    public EvalDataset parse(String jsonLines, String source) {
      Objects.requireNonNull(source, "source");
      List<EvalCase> cases = new ArrayList<>();
      List<DatasetError> errors = new ArrayList<>();
      Map<String, Integer> seen = new LinkedHashMap<>();
      String[] lines = jsonLines.split("\r?\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
        if (line.isBlank()) {
          continue;
        }
        int number = i + 1;
        String id = null;
        try {
          JsonNode row = readRow(line);
          id = idOf(row);
          Integer earlier = seen.putIfAbsent(id, number);
          if (earlier != null) {
            throw new InvalidRequestException("id '" + id + "' was already used on line " + earlier);
          }
          cases.add(caseOf(row, id, number));
        } catch (InvalidRequestException | IllegalArgumentException e) {
          errors.add(new DatasetError(source, number, id, String.valueOf(e.getMessage())));
        }
      }
      return new EvalDataset(source, cases, errors);
    }

    private static JsonNode readRow(String line) {
      JsonNode row;
      try {
        row = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        var at = e.getLocation();
        throw new InvalidRequestException("not JSON: " + e.getOriginalMessage()
            + (at == null ? "" : " at column " + at.getColumnNr()), e);
      }
      if (row == null || !row.isObject()) {
        throw new InvalidRequestException("a row must be a JSON object but was "
            + BuiltInAssertions.abbreviate(line.strip(), 40));
      }
      return row;
    }

    private static String idOf(JsonNode row) {
      JsonNode id = row.get("id");
      if (id == null || id.isNull()) {
        throw new InvalidRequestException("\"id\" is missing");
      }
      if (id.isTextual() && !id.asText().isBlank()) {
        return id.asText();
      }
      if (id.isIntegralNumber()) {
        return id.asText();
      }
      throw new InvalidRequestException("\"id\" must be a non-blank string or an integer but was " + id);
    }

    private EvalCase caseOf(JsonNode row, String id, int line) {
      for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
        String key = names.next();
        if (!ROW_KEYS.contains(key)) {
          throw new InvalidRequestException("unknown key \"" + key + "\"; a row has " + new TreeSet<>(ROW_KEYS));
        }
      }
      EvalCase.Builder b = EvalCase.builder(id).line(line);
      JsonNode input = row.get("input");
      if (input == null || input.isNull()) {
        throw new InvalidRequestException("\"input\" is missing");
      }
      b.messages(messages(input));
      JsonNode vars = row.get("vars");
      if (vars != null && !vars.isNull()) {
        if (!vars.isObject()) {
          throw new InvalidRequestException("\"vars\" must be an object but was " + vars.getNodeType());
        }
        for (Map.Entry<String, JsonNode> e : vars.properties()) {
          JsonNode v = e.getValue();
          if (!v.isValueNode() || v.isNull()) {
            throw new InvalidRequestException("vars." + e.getKey() + " must be a string, number or boolean but was " + v);
          }
          b.var(e.getKey(), v.asText());
        }
      }
      String expected = optionalText(row, "expected");
      b.expected(expected);
      JsonNode context = row.get("context");
      if (context != null && !context.isNull()) {
        if (!context.isArray()) {
          throw new InvalidRequestException("\"context\" must be an array but was " + context.getNodeType());
        }
        int position = 0;
        for (JsonNode p : context) {
          position++;
          if (p.isTextual()) {
            b.context(Integer.toString(position), p.asText());
          } else if (p.isObject() && p.path("id").isValueNode() && !p.path("id").isNull() && p.path("text").isTextual()) {
            b.context(p.get("id").asText(), p.get("text").asText());
          } else {
            throw new InvalidRequestException("context[" + (position - 1) + "] must be a string or {\"id\": ..., "
                + "\"text\": \"...\"} but was " + BuiltInAssertions.abbreviate(p.toString(), 60));
          }
        }
      }
      JsonNode asserts = row.get("assert");
      if (asserts != null && !asserts.isNull()) {
        if (!asserts.isArray()) {
          throw new InvalidRequestException("\"assert\" must be an array but was " + asserts.getNodeType());
        }
        int index = 0;
        for (JsonNode spec : asserts) {
          try {
            b.assertion(assertion(spec, expected), weight(spec, "weight"));
          } catch (InvalidRequestException e) {
            throw new InvalidRequestException("assert[" + index + "]: " + e.getMessage(), e);
          }
          index++;
        }
      }
      if (row.has("weight")) {
        b.weight(weight(row, "weight"));
      }
      JsonNode repeat = row.get("repeat");
      if (repeat != null && !repeat.isNull()) {
        if (!repeat.canConvertToExactIntegral() || repeat.asLong() < 1 || repeat.asLong() > EvalCase.MAX_REPEAT) {
          throw new InvalidRequestException("\"repeat\" must be an integer from 1 to " + EvalCase.MAX_REPEAT
              + " but was " + repeat);
        }
        b.repeat(repeat.asInt());
      }
      JsonNode tags = row.get("tags");
      if (tags != null && !tags.isNull()) {
        if (!tags.isArray()) {
          throw new InvalidRequestException("\"tags\" must be an array of strings but was " + tags.getNodeType());
        }
        for (JsonNode t : tags) {
          if (!t.isTextual()) {
            throw new InvalidRequestException("\"tags\" must hold strings but holds " + t);
          }
          b.tags(t.asText());
        }
      }
      try {
        return b.build();
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(e.getMessage(), e);
      }
    }

    private static List<ChatMessage> messages(JsonNode input) {
      if (input.isTextual()) {
        return List.of(ChatMessage.user(input.asText()));
      }
      if (!input.isObject()) {
        throw new InvalidRequestException("\"input\" must be a string or an object with \"prompt\" or \"messages\" but was "
            + input.getNodeType());
      }
      for (Iterator<String> names = input.fieldNames(); names.hasNext(); ) {
        String key = names.next();
        if (!Set.of("prompt", "system", "messages").contains(key)) {
          throw new InvalidRequestException("unknown key input." + key + "; input has prompt, system or messages");
        }
      }
      JsonNode prompt = input.get("prompt");
      JsonNode messages = input.get("messages");
      if ((prompt == null) == (messages == null)) {
        throw new InvalidRequestException("\"input\" needs exactly one of \"prompt\" and \"messages\"");
      }
      List<ChatMessage> out = new ArrayList<>();
      if (prompt != null) {
        String system = optionalText(input, "system");
        if (system != null) {
          out.add(ChatMessage.system(system));
        }
        if (!prompt.isTextual()) {
          throw new InvalidRequestException("input.prompt must be a string but was " + prompt.getNodeType());
        }
        out.add(ChatMessage.user(prompt.asText()));
        return out;
      }
      if (input.has("system")) {
        throw new InvalidRequestException("input.system goes with input.prompt; put a system message in input.messages");
      }
      if (!messages.isArray() || messages.isEmpty()) {
        throw new InvalidRequestException("input.messages must be a non-empty array");
      }
      int i = 0;
      for (JsonNode m : messages) {
        String role = m.path("role").asText("");
        JsonNode content = m.get("content");
        if (content == null || !content.isTextual()) {
          throw new InvalidRequestException("input.messages[" + i + "].content must be a string");
        }
        String text = content.asText();
        switch (role) {
          case "system" -> out.add(ChatMessage.system(text));
          case "user" -> out.add(ChatMessage.user(text));
          case "assistant" -> out.add(ChatMessage.assistant(text));
          default -> throw new InvalidRequestException("input.messages[" + i + "].role must be system, user or "
              + "assistant but was " + m.path("role"));
        }
        i++;
      }
      return out;
    }

    private Assertion assertion(JsonNode spec, @Nullable String expected) {
      if (!spec.isObject()) {
        throw new InvalidRequestException("an assertion must be an object with a \"type\" but was " + spec);
      }
      for (Iterator<String> names = spec.fieldNames(); names.hasNext(); ) {
        String key = names.next();
        if (!ASSERT_KEYS.contains(key)) {
          throw new InvalidRequestException("unknown key \"" + key + "\"; an assertion has " + new TreeSet<>(ASSERT_KEYS));
        }
      }
      String type = spec.path("type").asText("");
      JsonNode value = spec.get("value");
      boolean ignoreCase = false;
      if (spec.has("ignore_case")) {
        if (!spec.get("ignore_case").isBoolean()) {
          throw new InvalidRequestException("ignore_case must be true or false but was " + spec.get("ignore_case"));
        }
        ignoreCase = spec.get("ignore_case").asBoolean();
      }
      Set<String> allowed = switch (type) {
        case "equals", "contains", "not-contains" -> Set.of("type", "value", "weight", "ignore_case");
        case "similar", "grounded" -> Set.of("type", "value", "weight", "threshold");
        case "regex", "json-schema", "latency", "cost" -> Set.of("type", "value", "weight");
        default -> Set.of("type", "weight");
      };
      for (Iterator<String> names = spec.fieldNames(); names.hasNext(); ) {
        String key = names.next();
        if (!allowed.contains(key) && (BUILT_IN_TYPES.contains(type) || custom.containsKey(type))) {
          throw new InvalidRequestException(type + " takes no \"" + key + "\"");
        }
      }
      switch (type) {
        case "equals":
          if (value == null && expected == null) {
            throw new InvalidRequestException("equals needs a \"value\" or the case's \"expected\"");
          }
          return Assertion.equalTo(value == null ? null : text(value, type), ignoreCase);
        case "contains":
          return Assertion.contains(text(required(value, type), type), ignoreCase);
        case "not-contains":
          return Assertion.notContains(text(required(value, type), type), ignoreCase);
        case "regex":
          return Assertion.regex(text(required(value, type), type));
        case "is-json":
          return Assertion.isJson();
        case "json-schema": {
          JsonNode schema = required(value, type);
          return Assertion.jsonSchema(schema.isTextual() ? schema.asText() : schema.toString());
        }
        case "similar": {
          EmbeddingModel model = embeddingModel;
          if (model == null) {
            throw new InvalidRequestException("similar needs an embedding model, and the loader has none");
          }
          if (value == null && expected == null) {
            throw new InvalidRequestException("similar needs a \"value\" or the case's \"expected\"");
          }
          return Assertion.similar(model, value == null ? null : text(value, type), threshold(spec, 0.8));
        }
        case "grounded":
          if (value != null) {
            throw new InvalidRequestException("grounded takes a \"threshold\", not a \"value\"");
          }
          return Assertion.grounded(groundingScorer, threshold(spec, 0.8));
        case "citation":
          return Assertion.citationPresent();
        case "latency":
          return Assertion.latency(Duration.ofNanos(Math.round(number(required(value, type), type) * 1e6)));
        case "cost":
          return Assertion.cost(number(required(value, type), type));
        default: {
          Assertion own = custom.get(type);
          if (own == null) {
            List<String> known = new ArrayList<>(BUILT_IN_TYPES);
            known.addAll(custom.keySet());
            throw new InvalidRequestException("unknown assertion type " + spec.path("type") + "; known: " + known);
          }
          return own;
        }
      }
    }

    private static JsonNode required(@Nullable JsonNode value, String type) {
      if (value == null || value.isNull()) {
        throw new InvalidRequestException(type + " needs a \"value\"");
      }
      return value;
    }

    private static String text(JsonNode value, String type) {
      if (!value.isTextual()) {
        throw new InvalidRequestException(type + " value must be a string but was " + value);
      }
      return value.asText();
    }

    private static double number(JsonNode value, String type) {
      if (!value.isNumber() || value.asDouble() < 0 || !Double.isFinite(value.asDouble())) {
        throw new InvalidRequestException(type + " value must be a number of 0 or more but was " + value);
      }
      return value.asDouble();
    }

    private static double threshold(JsonNode spec, double fallback) {
      JsonNode t = spec.get("threshold");
      if (t == null || t.isNull()) {
        return fallback;
      }
      if (!t.isNumber()) {
        throw new InvalidRequestException("threshold must be a number but was " + t);
      }
      return t.asDouble();
    }

    private static double weight(JsonNode node, String key) {
      JsonNode w = node.get(key);
      if (w == null || w.isNull()) {
        return 1;
      }
      if (!w.isNumber() || !Double.isFinite(w.asDouble()) || w.asDouble() < 0) {
        throw new InvalidRequestException("\"" + key + "\" must be a number of 0 or more but was " + w);
      }
      return w.asDouble();
    }

    private static @Nullable String optionalText(JsonNode node, String key) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isTextual()) {
        throw new InvalidRequestException("\"" + key + "\" must be a string but was " + v.getNodeType());
      }
      return v.asText();
    }
  }
}
