package dev.llmops.guardrails.schema;

import dev.llmops.guardrails.chain.WholeAnswerGuard;
import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import dev.llmops.guardrails.schema.JsonCheck.SchemaError;
import dev.llmops.guardrails.schema.JsonCheck.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a model's answer is JSON conforming to a JSON Schema (networknt's validator, drafts 4 to
 * 2020-12), and by default re-asks the model with the errors and the schema when it is not.
 *
 * <pre>{@code
 * JsonSchemaGuard guard = JsonSchemaGuard.builder()
 *     .schema("{\"type\":\"object\",\"required\":[\"answer\"],\"properties\":{\"answer\":{\"type\":\"string\"}}}")
 *     .build();
 * }</pre>
 *
 * <p>Where the JSON is looked for is a {@link JsonExtraction}; by default the whole answer when it starts with
 * <code>{</code> or <code>[</code>, else the first fenced code block, else the first top-level object or array.
 * Findings (spans in the answer): {@code JSON_NOT_FOUND}, {@code INVALID_JSON} (detail with line and column),
 * {@code JSON_TOO_DEEP}, {@code JSON_TOO_LARGE}, and one {@code SCHEMA_VIOLATION} per error (up to
 * {@link Builder#maxErrors(int)}), whose detail is the JSON path and the validator's message. A valid answer
 * passes with no findings (or, with {@link Builder#rewriteToJson(boolean)}, is rewritten to just the JSON).
 *
 * <p>The schema is compiled and checked against its meta-schema at build time; remote {@code $ref}s are refused
 * then, so checking never touches the network. Immutable and safe to share across threads.
 */
public final class JsonSchemaGuard implements WholeAnswerGuard {

  /** The default message for a blocked answer. */
  public static final String DEFAULT_BLOCK_MESSAGE = "Sorry, the answer could not be produced in the expected format.";

  private final JsonSchemaChecker checker;
  private final JsonExtraction extraction;
  private final SchemaAction action;
  private final int maxErrors;
  private final boolean includeSchemaInReask;
  private final boolean rewriteToJson;
  private final String blockMessage;

  private JsonSchemaGuard(Builder b, JsonSchemaChecker checker) {
    this.checker = checker;
    this.extraction = b.extraction;
    this.action = b.action;
    this.maxErrors = b.maxErrors;
    this.includeSchemaInReask = b.includeSchemaInReask;
    this.rewriteToJson = b.rewriteToJson;
    this.blockMessage = b.blockMessage;
  }

  /** A builder; a schema must be given. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "json-schema";
  }

  @Override
  public String version() {
    return "1";
  }

  /** The compiled schema this guard checks against. */
  public JsonSchemaChecker checker() {
    return checker;
  }

  /**
   * Finds the JSON in {@code answer} as the extraction mode says and checks it, without deciding a verdict.
   *
   * @param answer the model's answer
   * @return the outcome, with spans in {@code answer}
   */
  public JsonCheck inspect(String answer) {
    return switch (extraction) {
      case WHOLE_TEXT -> checker.check(answer);
      case FENCED_BLOCK -> {
        TextSpan block = JsonLocator.fencedBlock(answer);
        yield block == null ? checker.check(answer) : checker.check(answer, block.start(), block.end(), true);
      }
      case FIRST_VALUE -> JsonLocator.firstValue(checker, answer);
      case AUTO -> {
        if (JsonLocator.startsWithStructure(answer)) {
          yield checker.check(answer);
        }
        TextSpan block = JsonLocator.fencedBlock(answer);
        yield block != null ? checker.check(answer, block.start(), block.end(), true)
            : JsonLocator.firstValue(checker, answer);
      }
    };
  }

  @Override
  public GuardVerdict check(OutputContext output) {
    String answer = output.text();
    JsonCheck result = inspect(answer);
    if (result.valid()) {
      TextSpan span = Objects.requireNonNull(result.span());
      boolean surrounded = !answer.substring(0, span.start()).isBlank() || !answer.substring(span.end()).isBlank();
      if (rewriteToJson && surrounded) {
        return GuardVerdict.rewrite(span.of(answer), 0, List.of());
      }
      return GuardVerdict.pass();
    }
    List<Finding> findings = findings(result);
    return switch (action) {
      case FLAG -> new GuardVerdict.Pass(1.0, findings);
      case BLOCK -> GuardVerdict.block(blockMessage, 1.0, findings);
      case REASK -> GuardVerdict.reask(instruction(result), 1.0, findings);
    };
  }

  private List<Finding> findings(JsonCheck result) {
    String type = switch (result.status()) {
      case NOT_FOUND -> "JSON_NOT_FOUND";
      case INVALID_JSON -> "INVALID_JSON";
      case TOO_DEEP -> "JSON_TOO_DEEP";
      case TOO_LARGE -> "JSON_TOO_LARGE";
      case SCHEMA_VIOLATION, VALID -> "SCHEMA_VIOLATION";
    };
    List<Finding> findings = new ArrayList<>();
    List<SchemaError> errors = result.errors();
    for (int i = 0; i < errors.size() && i < maxErrors; i++) {
      findings.add(new Finding(type, result.span(), 1.0, errors.get(i).toString()));
    }
    if (errors.size() > maxErrors) {
      findings.add(new Finding(type, result.span(), 1.0, (errors.size() - maxErrors) + " more errors not listed"));
    }
    if (findings.isEmpty()) {
      findings.add(new Finding(type, result.span(), 1.0, "the answer is not valid JSON for the schema"));
    }
    return findings;
  }

  private String instruction(JsonCheck result) {
    StringBuilder b = new StringBuilder();
    b.append(result.status() == Status.SCHEMA_VIOLATION
        ? "Your previous answer was JSON but did not conform to the required JSON Schema."
        : result.status() == Status.NOT_FOUND ? "Your previous answer contained no JSON."
        : "Your previous answer was not valid JSON.");
    b.append(" Errors:\n");
    List<SchemaError> errors = result.errors();
    for (int i = 0; i < errors.size() && i < maxErrors; i++) {
      b.append("- ").append(errors.get(i)).append('\n');
    }
    if (errors.size() > maxErrors) {
      b.append("- and ").append(errors.size() - maxErrors).append(" more\n");
    }
    if (includeSchemaInReask) {
      b.append("Answer again with only a JSON value that conforms to this JSON Schema:\n").append(checker.schemaJson());
    } else {
      b.append("Answer again with only a JSON value that conforms to the required JSON Schema.");
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "JsonSchemaGuard[" + extraction + ", " + action + ", " + checker.draft() + "]";
  }

  /** Builds a {@link JsonSchemaGuard}; every option is a plain value so a JSON policy can set it. */
  public static final class Builder {
    private @Nullable String schemaJson;
    private @Nullable Path schemaFile;
    private SchemaDraft defaultDraft = SchemaDraft.DRAFT_2020_12;
    private JsonExtraction extraction = JsonExtraction.AUTO;
    private SchemaAction action = SchemaAction.REASK;
    private int maxErrors = 10;
    private int maxDepth = 64;
    private int maxChars = 1_000_000;
    private boolean includeSchemaInReask = true;
    private boolean rewriteToJson;
    private String blockMessage = DEFAULT_BLOCK_MESSAGE;

    private Builder() {}

    /** The JSON Schema, as JSON text. */
    public Builder schema(String schemaJson) {
      this.schemaJson = Objects.requireNonNull(schemaJson, "schemaJson");
      this.schemaFile = null;
      return this;
    }

    /** The JSON Schema, read from a file at {@link #build()}. */
    public Builder schemaFile(Path schemaFile) {
      this.schemaFile = Objects.requireNonNull(schemaFile, "schemaFile");
      this.schemaJson = null;
      return this;
    }

    /** The draft assumed when the schema has no {@code $schema}; {@link SchemaDraft#DRAFT_2020_12} by default. */
    public Builder defaultDraft(SchemaDraft draft) {
      this.defaultDraft = Objects.requireNonNull(draft, "draft");
      return this;
    }

    /** Where the JSON is looked for; {@link JsonExtraction#AUTO} by default. */
    public Builder extraction(JsonExtraction extraction) {
      this.extraction = Objects.requireNonNull(extraction, "extraction");
      return this;
    }

    /** What to do with an answer that fails; {@link SchemaAction#REASK} by default. */
    public Builder action(SchemaAction action) {
      this.action = Objects.requireNonNull(action, "action");
      return this;
    }

    /** The most errors listed in findings and the re-ask instruction, 1 to 1000; 10 by default. */
    public Builder maxErrors(int maxErrors) {
      if (maxErrors < 1 || maxErrors > 1000) {
        throw new IllegalArgumentException("maxErrors must be between 1 and 1000 but was " + maxErrors);
      }
      this.maxErrors = maxErrors;
      return this;
    }

    /** The deepest nesting accepted, 1 to 1000; 64 by default. Deeper JSON is a {@code JSON_TOO_DEEP} finding. */
    public Builder maxDepth(int maxDepth) {
      if (maxDepth < 1 || maxDepth > 1000) {
        throw new IllegalArgumentException("maxDepth must be between 1 and 1000 but was " + maxDepth);
      }
      this.maxDepth = maxDepth;
      return this;
    }

    /** The longest JSON text checked, at least 2; 1,000,000 by default. Longer is a {@code JSON_TOO_LARGE} finding. */
    public Builder maxChars(int maxChars) {
      if (maxChars < 2) {
        throw new IllegalArgumentException("maxChars must be at least 2 but was " + maxChars);
      }
      this.maxChars = maxChars;
      return this;
    }

    /** Whether the re-ask instruction quotes the schema; true by default. */
    public Builder includeSchemaInReask(boolean include) {
      this.includeSchemaInReask = include;
      return this;
    }

    /**
     * Whether a valid JSON value found inside prose or a fence is returned as a rewrite to just the JSON;
     * false by default (the answer passes unchanged).
     */
    public Builder rewriteToJson(boolean rewrite) {
      this.rewriteToJson = rewrite;
      return this;
    }

    /** The message shown to the user when {@link SchemaAction#BLOCK} stops an answer. */
    public Builder blockMessage(String message) {
      if (message.isBlank()) {
        throw new IllegalArgumentException("the block message must not be blank");
      }
      this.blockMessage = message;
      return this;
    }

    /**
     * Compiles the schema and builds the guard.
     *
     * @throws IllegalArgumentException if no schema was given or it is not a valid, self-contained schema
     */
    public JsonSchemaGuard build() {
      JsonSchemaChecker checker;
      if (schemaJson != null) {
        checker = JsonSchemaChecker.compile(schemaJson, defaultDraft, maxDepth, maxChars);
      } else if (schemaFile != null) {
        checker = JsonSchemaChecker.compile(schemaFile, defaultDraft, maxDepth, maxChars);
      } else {
        throw new IllegalArgumentException("a JSON Schema guard needs a schema (schema(json) or schemaFile(path))");
      }
      return new JsonSchemaGuard(this, checker);
    }
  }
}
