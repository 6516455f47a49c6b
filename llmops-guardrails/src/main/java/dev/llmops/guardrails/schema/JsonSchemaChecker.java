package dev.llmops.guardrails.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.llmops.core.TextSpan;
import dev.llmops.guardrails.schema.JsonCheck.SchemaError;
import dev.llmops.guardrails.schema.JsonCheck.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A compiled JSON Schema and a bounded JSON parser: checks that a text (or a range of it) is one JSON value
 * that conforms. Shared by {@link JsonSchemaGuard} and the tool-call guard's argument checks.
 *
 * <p>The schema is checked against its draft's meta-schema when compiled, and {@code $ref}s are resolved then:
 * only references inside the schema and to the bundled meta-schemas are allowed, so compiling never touches the
 * network. Parsing refuses texts longer than {@code maxChars} and values nested deeper than {@code maxDepth},
 * so a hostile 10 MB answer costs one linear scan at most. Immutable and safe to share across threads.
 */
public final class JsonSchemaChecker {

  private static final ObjectMapper SCHEMA_MAPPER = new ObjectMapper();

  private final JsonSchema schema;
  private final String schemaJson;
  private final SchemaDraft draft;
  private final int maxDepth;
  private final int maxChars;
  private final ObjectMapper mapper;

  private JsonSchemaChecker(JsonSchema schema, String schemaJson, SchemaDraft draft, int maxDepth, int maxChars) {
    this.schema = schema;
    this.schemaJson = schemaJson;
    this.draft = draft;
    this.maxDepth = maxDepth;
    this.maxChars = maxChars;
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxDocumentLength(maxChars)
            .maxStringLength(maxChars)
            .maxNumberLength(1000)
            .build())
        .build();
    this.mapper = new ObjectMapper(factory);
  }

  /**
   * Compiles a schema given as JSON text.
   *
   * @param schemaJson the schema
   * @param defaultDraft the draft assumed when the schema has no {@code $schema}
   * @param maxDepth the deepest nesting of checked values, 1 to 1000
   * @param maxChars the longest checked text, at least 2
   * @return the checker
   * @throws IllegalArgumentException if the schema is not JSON, is not a valid schema of its draft, names an
   *     unknown draft or refers to schemas outside itself; or a limit is out of range
   */
  public static JsonSchemaChecker compile(String schemaJson, SchemaDraft defaultDraft, int maxDepth, int maxChars) {
    if (maxDepth < 1 || maxDepth > 1000) {
      throw new IllegalArgumentException("maxDepth must be between 1 and 1000 but was " + maxDepth);
    }
    if (maxChars < 2) {
      throw new IllegalArgumentException("maxChars must be at least 2 but was " + maxChars);
    }
    JsonNode node;
    try {
      node = SCHEMA_MAPPER.readTree(schemaJson);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new IllegalArgumentException("the JSON Schema is not valid JSON"
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
          + e.getOriginalMessage(), e);
    }
    if (node == null || !(node.isObject() || node.isBoolean())) {
      throw new IllegalArgumentException("a JSON Schema must be an object or a boolean but was: " + abbreviate(schemaJson));
    }
    SpecVersion.VersionFlag flag;
    try {
      Optional<SpecVersion.VersionFlag> detected = SpecVersionDetector.detectOptionalVersion(node, true);
      flag = detected.orElse(flag(defaultDraft));
    } catch (JsonSchemaException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the JSON Schema's $schema names an unsupported draft: "
          + node.path("$schema").asText(), e);
    }
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(flag, b -> b.schemaLoaders(
        loaders -> loaders.add(new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))));
    try {
      if (node.isObject()) {
        JsonSchema meta = factory.getSchema(SchemaLocation.of(flag.getId()));
        Set<ValidationMessage> problems = meta.validate(node);
        if (!problems.isEmpty()) {
          throw new IllegalArgumentException("not a valid JSON Schema (" + flag.getId() + "): " + join(errors(problems), 5));
        }
      }
      JsonSchema compiled = factory.getSchema(node);
      compiled.initializeValidators();
      return new JsonSchemaChecker(compiled, SCHEMA_MAPPER.writeValueAsString(node), draft(flag), maxDepth, maxChars);
    } catch (JsonSchemaException | JsonProcessingException | UncheckedIOException e) {
      throw new IllegalArgumentException("cannot compile the JSON Schema (only references within the schema "
          + "are allowed, never remote ones): " + e.getMessage(), e);
    }
  }

  /**
   * Compiles a schema read from a file.
   *
   * @see #compile(String, SchemaDraft, int, int)
   * @throws IllegalArgumentException if the file cannot be read or does not hold a valid schema
   */
  public static JsonSchemaChecker compile(Path schemaFile, SchemaDraft defaultDraft, int maxDepth, int maxChars) {
    String text;
    try {
      text = Files.readString(schemaFile);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the JSON Schema file " + schemaFile + ": " + e.getMessage(), e);
    }
    try {
      return compile(text, defaultDraft, maxDepth, maxChars);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(schemaFile + ": " + e.getMessage(), e);
    }
  }

  /** The schema as compact JSON text, as it is quoted to the model in a re-ask. */
  public String schemaJson() {
    return schemaJson;
  }

  /** The draft the schema is read as: its {@code $schema}, or the default it was compiled with. */
  public SchemaDraft draft() {
    return draft;
  }

  /** The deepest nesting a checked value may have. */
  public int maxDepth() {
    return maxDepth;
  }

  /** The longest text that is checked. */
  public int maxChars() {
    return maxChars;
  }

  /**
   * Checks that {@code text}, surrounding whitespace aside, is exactly one JSON value conforming to the schema.
   *
   * @param text the text
   * @return the outcome; never throws for bad content
   */
  public JsonCheck check(String text) {
    return check(text, 0, text.length(), true);
  }

  /**
   * Checks the JSON value in {@code text[start, end)}.
   *
   * @param text the text
   * @param start where the value starts (leading whitespace allowed)
   * @param end where the range ends
   * @param exact whether content after the value (other than whitespace) is an error; when false the value
   *     ends where its closing bracket is and the rest is ignored
   * @return the outcome, with spans and line/column numbers in {@code text}
   * @throws IndexOutOfBoundsException if the range is not within the text
   */
  public JsonCheck check(String text, int start, int end, boolean exact) {
    if (start < 0 || end < start || end > text.length()) {
      throw new IndexOutOfBoundsException("[" + start + ", " + end + ") is not within 0.." + text.length());
    }
    if (end - start > maxChars) {
      return new JsonCheck(Status.TOO_LARGE, List.of(new SchemaError("$",
          "the JSON text has " + (end - start) + " characters, more than the limit of " + maxChars)),
          new TextSpan(start, end));
    }
    String slice = text.substring(start, end);
    JsonNode value;
    int valueEnd;
    int valueStart;
    try (JsonParser p = mapper.createParser(slice)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return new JsonCheck(Status.NOT_FOUND, List.of(new SchemaError("$", "no JSON value found")), null);
      }
      valueStart = start + (int) p.currentTokenLocation().getCharOffset();
      value = mapper.readTree(p);
      valueEnd = start + (int) p.currentLocation().getCharOffset();
      if (exact && p.nextToken() != null) {
        int at = start + (int) p.currentTokenLocation().getCharOffset();
        return new JsonCheck(Status.INVALID_JSON, List.of(new SchemaError("$",
            position(text, at) + ": unexpected content after the JSON value")), new TextSpan(start, end));
      }
    } catch (StreamConstraintsException e) {
      return new JsonCheck(Status.TOO_DEEP, List.of(new SchemaError("$",
          "the JSON value is nested deeper than " + maxDepth + " levels or is too long")), new TextSpan(start, end));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      int offset = at == null || at.getCharOffset() < 0 ? end : start + (int) Math.min(at.getCharOffset(), slice.length());
      return new JsonCheck(Status.INVALID_JSON, List.of(new SchemaError("$",
          position(text, offset) + ": " + firstLine(e.getOriginalMessage()))), new TextSpan(start, end));
    } catch (IOException e) {
      throw new UncheckedIOException("reading from a string failed", e);
    }
    TextSpan span = new TextSpan(Math.min(valueStart, valueEnd), valueEnd);
    List<SchemaError> errors = validate(value);
    return errors.isEmpty() ? new JsonCheck(Status.VALID, List.of(), span)
        : new JsonCheck(Status.SCHEMA_VIOLATION, errors, span);
  }

  private List<SchemaError> validate(JsonNode value) {
    Set<ValidationMessage> messages = schema.validate(value);
    return errors(messages);
  }

  private static List<SchemaError> errors(Set<ValidationMessage> messages) {
    List<SchemaError> errors = new ArrayList<>(messages.size());
    for (ValidationMessage m : messages) {
      String path = m.getInstanceLocation() == null ? "$" : m.getInstanceLocation().toString();
      String message = m.getMessage();
      if (message.startsWith(path + ": ")) {
        message = message.substring(path.length() + 2);
      }
      errors.add(new SchemaError(path, message));
    }
    errors.sort(Comparator.comparing(SchemaError::path).thenComparing(SchemaError::message));
    return errors;
  }

  /** {@code line L, column C} (both from 1) of UTF-16 offset {@code offset} in {@code text}. */
  static String position(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    int limit = Math.min(offset, text.length());
    for (int i = 0; i < limit; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ", column " + (limit - lineStart + 1);
  }

  static String join(List<SchemaError> errors, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < errors.size() && i < max; i++) {
      b.append(i == 0 ? "" : "; ").append(errors.get(i));
    }
    if (errors.size() > max) {
      b.append("; and ").append(errors.size() - max).append(" more");
    }
    return b.toString();
  }

  private static String firstLine(@org.jspecify.annotations.Nullable String message) {
    if (message == null) {
      return "not valid JSON";
    }
    int nl = message.indexOf('\n');
    String s = nl < 0 ? message : message.substring(0, nl);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  private static SpecVersion.VersionFlag flag(SchemaDraft draft) {
    return switch (draft) {
      case DRAFT_4 -> SpecVersion.VersionFlag.V4;
      case DRAFT_6 -> SpecVersion.VersionFlag.V6;
      case DRAFT_7 -> SpecVersion.VersionFlag.V7;
      case DRAFT_2019_09 -> SpecVersion.VersionFlag.V201909;
      case DRAFT_2020_12 -> SpecVersion.VersionFlag.V202012;
    };
  }

  private static SchemaDraft draft(SpecVersion.VersionFlag flag) {
    return switch (flag) {
      case V4 -> SchemaDraft.DRAFT_4;
      case V6 -> SchemaDraft.DRAFT_6;
      case V7 -> SchemaDraft.DRAFT_7;
      case V201909 -> SchemaDraft.DRAFT_2019_09;
      case V202012 -> SchemaDraft.DRAFT_2020_12;
    };
  }
}
