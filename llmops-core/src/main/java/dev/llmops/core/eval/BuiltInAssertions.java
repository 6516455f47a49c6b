package dev.llmops.core.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The stock {@link Assertion}s. Each is immutable and thread-safe. */
final class BuiltInAssertions {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectReader STRICT_JSON =
      MAPPER.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern NUMBERED_CITATION = Pattern.compile("\\[(\\d{1,4})]");

  private BuiltInAssertions() {}

  /** At most {@code max} characters of {@code text}, with an ellipsis when cut, for names and reasons. */
  static String abbreviate(String text, int max) {
    String oneLine = text.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }

  static String quote(String text) {
    return "\"" + abbreviate(text, 60) + "\"";
  }

  private static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  private static @Nullable String expectedOf(@Nullable String own, EvalOutput output) {
    return own != null ? own : output.expected();
  }

  static void checkThreshold(String what, double threshold, double min) {
    if (!(threshold >= min && threshold <= 1)) {
      throw new InvalidRequestException(what + " threshold must be in [" + (int) min + ", 1] but was " + threshold);
    }
  }

  record Equal(@Nullable String value, boolean ignoreCase) implements Assertion {
    @Override
    public String name() {
      return (ignoreCase ? "equals-ignore-case" : "equals") + (value == null ? "(expected)" : "(" + quote(value) + ")");
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      String expected = expectedOf(value, output);
      if (expected == null) {
        return AssertionResult.fail(name(), "nothing to compare with: no value given and the case has no 'expected'");
      }
      String a = output.text().strip();
      String b = expected.strip();
      boolean same = ignoreCase ? lower(a).equals(lower(b)) : a.equals(b);
      return same ? AssertionResult.pass(name(), "the answer equals " + quote(b))
          : AssertionResult.fail(name(), "expected " + quote(b) + " but the answer was " + quote(a));
    }
  }

  record Contains(String value, boolean ignoreCase, boolean negate) implements Assertion {
    Contains {
      Objects.requireNonNull(value, "value");
      if (value.isEmpty()) {
        throw new InvalidRequestException((negate ? "not-contains" : "contains") + " needs a non-empty value");
      }
    }

    @Override
    public String name() {
      return (negate ? "not-contains" : "contains") + (ignoreCase ? "-ignore-case" : "") + "(" + quote(value) + ")";
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      boolean found = ignoreCase ? lower(output.text()).contains(lower(value)) : output.text().contains(value);
      if (found != negate) {
        return AssertionResult.pass(name(), "the answer " + (found ? "contains " : "does not contain ") + quote(value));
      }
      return AssertionResult.fail(name(), "the answer " + (found ? "contains " : "does not contain ") + quote(value)
          + ": " + quote(output.text()));
    }
  }

  record Regex(Pattern pattern) implements Assertion {
    Regex(String regex) {
      this(compile(regex));
    }

    private static Pattern compile(String regex) {
      try {
        return Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new InvalidRequestException("regex /" + regex + "/ does not compile: " + e.getDescription()
            + " at index " + e.getIndex(), e);
      }
    }

    @Override
    public String name() {
      return "regex(/" + abbreviate(pattern.pattern(), 60) + "/)";
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      Matcher m = pattern.matcher(output.text());
      return m.find() ? AssertionResult.pass(name(), "matched " + quote(m.group()) + " at " + m.start())
          : AssertionResult.fail(name(), "no match in " + quote(output.text()));
    }
  }

  /** Why {@code text} is not exactly one JSON value, or {@code null} if it is. */
  static @Nullable String jsonProblem(String text) {
    if (text.isBlank()) {
      return "the answer is empty";
    }
    try {
      STRICT_JSON.readTree(text);
      return null;
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      return e.getOriginalMessage() + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }
  }

  record IsJson() implements Assertion {
    static final IsJson INSTANCE = new IsJson();

    @Override
    public String name() {
      return "is-json";
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      String problem = jsonProblem(output.text());
      return problem == null ? AssertionResult.pass(name(), "the answer is JSON")
          : AssertionResult.fail(name(), "the answer is not JSON: " + abbreviate(problem, 200));
    }
  }

  record JsonSchemaCheck(JsonSchema schema, String source) implements Assertion {
    static JsonSchemaCheck compile(String schemaJson) {
      JsonNode node;
      try {
        node = MAPPER.readTree(schemaJson);
      } catch (JsonProcessingException e) {
        throw new InvalidRequestException("the JSON Schema is not valid JSON: " + e.getOriginalMessage(), e);
      }
      if (node == null || !(node.isObject() || node.isBoolean())) {
        throw new InvalidRequestException("a JSON Schema must be an object or a boolean but was: "
            + abbreviate(schemaJson, 80));
      }
      SpecVersion.VersionFlag flag;
      try {
        Optional<SpecVersion.VersionFlag> detected = SpecVersionDetector.detectOptionalVersion(node, true);
        flag = detected.orElse(SpecVersion.VersionFlag.V202012);
      } catch (JsonSchemaException | IllegalArgumentException e) {
        throw new InvalidRequestException("the JSON Schema's $schema names an unsupported draft: "
            + node.path("$schema").asText(), e);
      }
      JsonSchemaFactory factory = JsonSchemaFactory.getInstance(flag, b -> b.schemaLoaders(
          loaders -> loaders.add(new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))));
      try {
        if (node.isObject()) {
          Set<ValidationMessage> problems = factory.getSchema(SchemaLocation.of(flag.getId())).validate(node);
          if (!problems.isEmpty()) {
            throw new InvalidRequestException("not a valid JSON Schema (" + flag.getId() + "): "
                + problems.stream().map(ValidationMessage::getMessage).sorted().limit(3).collect(Collectors.joining("; ")));
          }
        }
        JsonSchema compiled = factory.getSchema(node);
        compiled.initializeValidators();
        return new JsonSchemaCheck(compiled, MAPPER.writeValueAsString(node));
      } catch (JsonSchemaException | JsonProcessingException | java.io.UncheckedIOException e) {
        throw new InvalidRequestException("cannot compile the JSON Schema (only references within the schema are "
            + "allowed): " + e.getMessage(), e);
      }
    }

    @Override
    public String name() {
      return "json-schema(" + abbreviate(source, 60) + ")";
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      String problem = jsonProblem(output.text());
      if (problem != null) {
        return AssertionResult.fail(name(), "the answer is not JSON: " + abbreviate(problem, 200));
      }
      JsonNode value;
      try {
        value = MAPPER.readTree(output.text());
      } catch (JsonProcessingException e) {
        return AssertionResult.fail(name(), "the answer is not JSON: " + e.getOriginalMessage());
      }
      Set<ValidationMessage> errors = schema.validate(value);
      if (errors.isEmpty()) {
        return AssertionResult.pass(name(), "the answer conforms to the schema");
      }
      List<String> messages = errors.stream().map(ValidationMessage::getMessage).sorted().toList();
      return AssertionResult.fail(name(), messages.size() + " schema violation" + (messages.size() == 1 ? "" : "s")
          + ": " + String.join("; ", messages.subList(0, Math.min(3, messages.size()))));
    }
  }

  record Similar(EmbeddingModel model, @Nullable String reference, double threshold) implements Assertion {
    Similar {
      Objects.requireNonNull(model, "model");
      if (!(threshold >= -1 && threshold <= 1)) {
        throw new InvalidRequestException("similar threshold must be in [-1, 1] but was " + threshold);
      }
    }

    @Override
    public String name() {
      return "similar(" + (reference == null ? "expected" : quote(reference)) + ", >= " + threshold + ")";
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      String ref = expectedOf(reference, output);
      if (ref == null) {
        return AssertionResult.fail(name(), "nothing to compare with: no reference given and the case has no 'expected'");
      }
      EmbeddingResult vectors = model.embedAll(List.of(output.text(), ref));
      double cosine = vectors.get(0).cosine(vectors.get(1));
      double score = Math.max(0, Math.min(1, cosine));
      String reason = String.format(Locale.ROOT, "cosine %.4f %s %s by %s", cosine, cosine >= threshold ? ">=" : "<",
          threshold, model.modelId());
      return new AssertionResult(name(), cosine >= threshold, score, reason);
    }
  }

  record Grounded(GroundingScorer scorer, double threshold) implements Assertion {
    Grounded {
      Objects.requireNonNull(scorer, "scorer");
      checkThreshold("grounded", threshold, 0);
    }

    @Override
    public String name() {
      return "grounded(>= " + threshold + ")";
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      if (output.context().isEmpty()) {
        return AssertionResult.fail(name(), "the case has no context to ground the answer in");
      }
      double fraction = scorer.groundedFraction(output.text(), output.context());
      if (!(fraction >= 0 && fraction <= 1)) {
        return AssertionResult.fail(name(), "the grounding scorer " + scorer + " returned " + fraction
            + ", outside [0, 1]");
      }
      String reason = String.format(Locale.ROOT, "grounded fraction %.3f %s %s", fraction,
          fraction >= threshold ? ">=" : "<", threshold);
      return new AssertionResult(name(), fraction >= threshold, fraction, reason);
    }
  }

  record CitationPresent() implements Assertion {
    static final CitationPresent INSTANCE = new CitationPresent();

    @Override
    public String name() {
      return "citation";
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      String text = output.text();
      List<ContextPassage> context = output.context();
      Matcher m = NUMBERED_CITATION.matcher(text);
      while (m.find()) {
        int n = Integer.parseInt(m.group(1));
        if (context.isEmpty() || (n >= 1 && n <= context.size())) {
          return AssertionResult.pass(name(), "cites " + m.group());
        }
      }
      for (ContextPassage passage : context) {
        Matcher id = Pattern.compile("(?<![\\p{L}\\p{N}_-])" + Pattern.quote(passage.id()) + "(?![\\p{L}\\p{N}_-])")
            .matcher(text);
        if (id.find()) {
          return AssertionResult.pass(name(), "cites source '" + passage.id() + "'");
        }
      }
      if (context.isEmpty()) {
        return AssertionResult.fail(name(), "no [n] citation in the answer");
      }
      String markers = context.size() == 1 ? "[1]" : "one of [1] to [" + context.size() + "]";
      List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < context.size(); i++) {
        if (!context.get(i).id().equals(Integer.toString(i + 1))) {
          ids.add(context.get(i).id());
        }
      }
      return AssertionResult.fail(name(), "cites no source of the case: expected " + markers
          + (ids.isEmpty() ? "" : " or an id (" + String.join(", ", ids.subList(0, Math.min(5, ids.size())))
              + (ids.size() > 5 ? ", ..." : "") + ")"));
    }
  }

  record Latency(Duration max) implements Assertion {
    Latency {
      if (max.isNegative()) {
        throw new InvalidRequestException("latency limit must not be negative but was " + max);
      }
    }

    @Override
    public String name() {
      return "latency(<= " + max.toMillis() + " ms)";
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      String reason = String.format(Locale.ROOT, "took %.1f ms, limit %d ms", output.latency().toNanos() / 1e6,
          max.toMillis());
      return output.latency().compareTo(max) <= 0 ? AssertionResult.pass(name(), reason)
          : AssertionResult.fail(name(), reason);
    }
  }

  record Cost(double max) implements Assertion {
    Cost {
      if (!(max >= 0) || !Double.isFinite(max)) {
        throw new InvalidRequestException("cost limit must be a finite amount of 0 or more but was " + max);
      }
    }

    @Override
    public String name() {
      return "cost(<= " + max + ")";
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      Double cost = output.cost();
      if (cost == null) {
        return AssertionResult.fail(name(), "no cost known for this answer: give the model target a price table "
            + "or evaluate a router release");
      }
      String reason = String.format(Locale.ROOT, "cost %.6f, limit %s", cost, max);
      return cost <= max ? AssertionResult.pass(name(), reason) : AssertionResult.fail(name(), reason);
    }
  }

  record Custom(String name, Predicate<EvalOutput> predicate) implements Assertion {
    Custom {
      checkName(name);
      Objects.requireNonNull(predicate, "predicate");
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      return predicate.test(output) ? AssertionResult.pass(name, "the predicate held")
          : AssertionResult.fail(name, "the predicate did not hold for " + quote(output.text()));
    }
  }

  record Scored(String name, ToDoubleFunction<EvalOutput> score, double threshold) implements Assertion {
    Scored {
      checkName(name);
      Objects.requireNonNull(score, "score");
      checkThreshold("'" + name + "'", threshold, 0);
    }

    @Override
    public AssertionResult check(EvalOutput output) {
      double value = score.applyAsDouble(output);
      if (!(value >= 0 && value <= 1)) {
        return AssertionResult.fail(name, "the score function returned " + value + ", outside [0, 1]");
      }
      String reason = String.format(Locale.ROOT, "score %.4f %s %s", value, value >= threshold ? ">=" : "<", threshold);
      return new AssertionResult(name, value >= threshold, value, reason);
    }
  }

  private static void checkName(@Nullable String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidRequestException("a custom assertion needs a non-blank name but got "
          + (name == null ? "null" : "'" + name + "'"));
    }
  }
}
