package dev.llmops.core.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The result of an {@link Evaluation}: every case's attempts and the totals. Immutable and thread-safe. Write it
 * with {@link #toJson()} (read back with {@link #fromJson}) or {@link #toMarkdown()}; compare two runs with
 * {@link #compare}.
 *
 * @param name the run's name
 * @param target what was evaluated ({@link EvalTarget#description()})
 * @param startedAt when the run began, by the evaluation's clock
 * @param elapsed how long it took, by the evaluation's ticker
 * @param minCasePassRate the pass rate a case needed to pass
 * @param cases every case that ran, in dataset order
 * @param errors the dataset rows that could not be read and so did not run
 */
public record EvalReport(
    String name, String target, Instant startedAt, Duration elapsed, double minCasePassRate, List<CaseResult> cases,
    List<DatasetError> errors) {

  /** The {@code format} field of {@link #toJson()}; {@link #fromJson} reads only this format. */
  public static final String FORMAT = "llmops-eval-report/1";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Validates and copies. */
  public EvalReport {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(elapsed, "elapsed");
    cases = List.copyOf(cases);
    errors = List.copyOf(errors);
  }

  /**
   * The weighted pass rate: the sum over cases of weight times pass rate, over the sum of the weights. A case run 3
   * times that passed twice adds two thirds of its weight. 0 when no case ran (a dataset of bad rows must not pass
   * a gate).
   */
  public double weightedPassRate() {
    double total = 0;
    double passed = 0;
    for (CaseResult c : cases) {
      total += c.weight();
      passed += c.weight() * c.passRate();
    }
    return total == 0 ? 0 : passed / total;
  }

  /** How many cases passed. */
  public int casesPassed() {
    return (int) cases.stream().filter(CaseResult::passed).count();
  }

  /** The cases that did not pass, in dataset order. */
  public List<CaseResult> failedCases() {
    return cases.stream().filter(c -> !c.passed()).toList();
  }

  /** The number of attempts made. */
  public int attemptCount() {
    return cases.stream().mapToInt(c -> c.attempts().size()).sum();
  }

  /** The case with this id, if it ran. */
  public @Nullable CaseResult caseResult(String id) {
    for (CaseResult c : cases) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    return null;
  }

  /** The summed cost of all attempts whose cost is known, or {@code null} when none is. */
  public @Nullable Double totalCost() {
    double sum = 0;
    boolean known = false;
    for (CaseResult c : cases) {
      Double cost = c.cost();
      if (cost != null) {
        sum += cost;
        known = true;
      }
    }
    return known ? sum : null;
  }

  /**
   * Compares a candidate run with a baseline run, matching cases by id. A case regressed when its pass rate fell or
   * it passed before and fails now; it improved when the opposite holds.
   */
  public static EvalComparison compare(EvalReport baseline, EvalReport candidate) {
    Map<String, CaseResult> before = new LinkedHashMap<>();
    for (CaseResult c : baseline.cases()) {
      before.put(c.id(), c);
    }
    List<EvalComparison.CaseChange> regressed = new ArrayList<>();
    List<EvalComparison.CaseChange> improved = new ArrayList<>();
    List<EvalComparison.CaseChange> unchanged = new ArrayList<>();
    List<String> added = new ArrayList<>();
    Set<String> matched = new LinkedHashSet<>();
    for (CaseResult now : candidate.cases()) {
      CaseResult then = before.get(now.id());
      if (then == null) {
        added.add(now.id());
        continue;
      }
      matched.add(now.id());
      var change = new EvalComparison.CaseChange(now.id(), then.passRate(), now.passRate(), then.passed(), now.passed());
      if (now.passRate() < then.passRate() || (then.passed() && !now.passed())) {
        regressed.add(change);
      } else if (now.passRate() > then.passRate() || (!then.passed() && now.passed())) {
        improved.add(change);
      } else {
        unchanged.add(change);
      }
    }
    List<String> removed = before.keySet().stream().filter(id -> !matched.contains(id)).toList();
    return new EvalComparison(baseline.weightedPassRate(), candidate.weightedPassRate(), regressed, improved, unchanged,
        added, removed);
  }

  // ------------------------------------------------------------------------------------------------ JSON

  /** The report as indented JSON in the {@link #FORMAT} format, answers included. */
  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("name", name);
    root.put("target", target);
    root.put("started_at", startedAt.toString());
    root.put("elapsed_ms", elapsed.toNanos() / 1e6);
    root.put("min_case_pass_rate", minCasePassRate);
    ObjectNode totals = root.putObject("totals");
    totals.put("cases", cases.size());
    totals.put("cases_passed", casesPassed());
    totals.put("weighted_pass_rate", weightedPassRate());
    totals.put("attempts", attemptCount());
    totals.put("bad_rows", errors.size());
    putNullable(totals, "cost", totalCost());
    ArrayNode caseArray = root.putArray("cases");
    for (CaseResult c : cases) {
      ObjectNode cn = caseArray.addObject();
      cn.put("id", c.id());
      cn.put("line", c.line());
      cn.put("weight", c.weight());
      ArrayNode tags = cn.putArray("tags");
      c.tags().stream().sorted().forEach(tags::add);
      cn.put("passed", c.passed());
      cn.put("pass_rate", c.passRate());
      cn.put("mean_score", c.meanScore());
      cn.put("mean_latency_ms", c.meanLatency().toNanos() / 1e6);
      putNullable(cn, "cost", c.cost());
      ArrayNode attempts = cn.putArray("attempts");
      for (AttemptResult a : c.attempts()) {
        ObjectNode an = attempts.addObject();
        an.put("attempt", a.attempt());
        an.put("passed", a.passed());
        an.put("score", a.score());
        an.put("latency_ms", a.latency().toNanos() / 1e6);
        putNullable(an, "cost", a.cost());
        an.put("answer", a.answer());
        an.put("error", a.error());
        an.put("request_id", a.requestId());
        ArrayNode results = an.putArray("assertions");
        for (AssertionResult r : a.assertions()) {
          results.addObject().put("name", r.name()).put("passed", r.passed()).put("score", r.score())
              .put("reason", r.reason());
        }
      }
    }
    ArrayNode bad = root.putArray("bad_rows");
    for (DatasetError e : errors) {
      bad.addObject().put("source", e.source()).put("line", e.line()).put("id", e.caseId()).put("error", e.message());
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static void putNullable(ObjectNode node, String key, @Nullable Double value) {
    if (value == null) {
      node.putNull(key);
    } else {
      node.put(key, value.doubleValue());
    }
  }

  /**
   * Reads a report written by {@link #toJson()}.
   *
   * @param json the report
   * @param source where it came from, for error messages
   * @throws CorruptDataException if it is not such a report, naming the field that is wrong
   */
  public static EvalReport fromJson(String json, String source) {
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        throw new CorruptDataException("report " + source + " is not a JSON object", null);
      }
      if (!FORMAT.equals(root.path("format").asText())) {
        throw new CorruptDataException("report " + source + " has format " + root.path("format")
            + " but only " + FORMAT + " is read", null);
      }
      List<CaseResult> cases = new ArrayList<>();
      for (JsonNode cn : array(root, "cases", source)) {
        List<AttemptResult> attempts = new ArrayList<>();
        for (JsonNode an : array(cn, "attempts", source)) {
          List<AssertionResult> results = new ArrayList<>();
          for (JsonNode rn : array(an, "assertions", source)) {
            results.add(new AssertionResult(text(rn, "name", source), bool(rn, "passed", source),
                number(rn, "score", source), text(rn, "reason", source)));
          }
          attempts.add(new AttemptResult(an.path("attempt").asInt(), bool(an, "passed", source),
              number(an, "score", source), results, nullableText(an, "answer"), millis(number(an, "latency_ms", source)),
              nullableNumber(an, "cost"), nullableText(an, "error"), nullableText(an, "request_id")));
        }
        Set<String> tags = new LinkedHashSet<>();
        cn.path("tags").forEach(t -> tags.add(t.asText()));
        cases.add(new CaseResult(text(cn, "id", source), cn.path("line").asInt(), number(cn, "weight", source), tags,
            attempts, bool(cn, "passed", source)));
      }
      List<DatasetError> errors = new ArrayList<>();
      for (JsonNode en : array(root, "bad_rows", source)) {
        errors.add(new DatasetError(text(en, "source", source), en.path("line").asInt(), nullableText(en, "id"),
            text(en, "error", source)));
      }
      return new EvalReport(text(root, "name", source), text(root, "target", source),
          Instant.parse(text(root, "started_at", source)), millis(number(root, "elapsed_ms", source)),
          number(root, "min_case_pass_rate", source), cases, errors);
    } catch (JsonProcessingException e) {
      throw new CorruptDataException("report " + source + " is not JSON: " + e.getOriginalMessage(), e);
    } catch (InvalidRequestException | DateTimeParseException | IllegalArgumentException e) {
      throw new CorruptDataException("report " + source + " holds an invalid value: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a report file written from {@link #toJson()}.
   *
   * @throws NotFoundException if the file does not exist
   * @throws CorruptDataException if it is not a report
   * @throws UnavailableException if it cannot be read
   */
  public static EvalReport read(Path file) {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (NoSuchFileException e) {
      throw new NotFoundException("report file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UnavailableException("could not read report file " + file + ": " + e.getMessage(), null, e);
    }
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos(Math.round(ms * 1e6));
  }

  private static Iterable<JsonNode> array(JsonNode node, String key, String source) {
    JsonNode a = node.get(key);
    if (a == null || !a.isArray()) {
      throw new CorruptDataException("report " + source + ": \"" + key + "\" must be an array", null);
    }
    return a;
  }

  private static String text(JsonNode node, String key, String source) {
    JsonNode v = node.get(key);
    if (v == null || !v.isTextual()) {
      throw new CorruptDataException("report " + source + ": \"" + key + "\" must be a string but was " + v, null);
    }
    return v.asText();
  }

  private static @Nullable String nullableText(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static double number(JsonNode node, String key, String source) {
    JsonNode v = node.get(key);
    if (v == null || !v.isNumber()) {
      throw new CorruptDataException("report " + source + ": \"" + key + "\" must be a number but was " + v, null);
    }
    return v.asDouble();
  }

  private static @Nullable Double nullableNumber(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v == null || !v.isNumber() ? null : v.asDouble();
  }

  private static boolean bool(JsonNode node, String key, String source) {
    JsonNode v = node.get(key);
    if (v == null || !v.isBoolean()) {
      throw new CorruptDataException("report " + source + ": \"" + key + "\" must be true or false but was " + v, null);
    }
    return v.asBoolean();
  }

  // -------------------------------------------------------------------------------------------- Markdown

  /**
   * The report as Markdown: a summary, the failing cases with each failed assertion's reason, the bad rows, and a
   * table of every case.
   */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Evaluation: ").append(name).append("\n\n");
    md.append(String.format(Locale.ROOT, "Target: %s. Started %s, took %.1f s.\n\n", target, startedAt,
        elapsed.toNanos() / 1e9));
    Double cost = totalCost();
    md.append(String.format(Locale.ROOT, "**Weighted pass rate %.1f%%**; %d of %d cases passed (a case passes at a "
            + "pass rate of %.0f%% or more), %d attempts, %d bad rows%s.\n", 100 * weightedPassRate(), casesPassed(),
        cases.size(), 100 * minCasePassRate, attemptCount(), errors.size(),
        cost == null ? "" : String.format(Locale.ROOT, ", cost %.6f", cost)));
    List<CaseResult> failed = failedCases();
    if (!failed.isEmpty()) {
      md.append("\n## Failing cases\n\n| case | pass rate | why |\n| --- | --- | --- |\n");
      for (CaseResult c : failed) {
        md.append("| ").append(cell(c.id())).append(" | ").append(c.passedAttempts()).append("/")
            .append(c.attempts().size()).append(" | ").append(cell(why(c))).append(" |\n");
      }
    }
    if (!errors.isEmpty()) {
      md.append("\n## Bad rows (not run)\n\n| line | case | error |\n| --- | --- | --- |\n");
      for (DatasetError e : errors) {
        md.append("| ").append(e.source()).append(":").append(e.line()).append(" | ")
            .append(e.caseId() == null ? "" : cell(e.caseId())).append(" | ").append(cell(e.message())).append(" |\n");
      }
    }
    md.append("\n## Cases\n\n| case | weight | passed | pass rate | mean score | mean latency (ms) | cost |\n")
        .append("| --- | --- | --- | --- | --- | --- | --- |\n");
    for (CaseResult c : cases) {
      Double caseCost = c.cost();
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d/%d | %.3f | %.1f | %s |\n", cell(c.id()),
          trim(c.weight()), c.passed() ? "yes" : "**no**", c.passedAttempts(), c.attempts().size(), c.meanScore(),
          c.meanLatency().toNanos() / 1e6, caseCost == null ? "" : String.format(Locale.ROOT, "%.6f", caseCost)));
    }
    return md.toString();
  }

  /** The first failure's reasons: the target's error or the failed assertions of the first failed attempt. */
  private static String why(CaseResult c) {
    for (AttemptResult a : c.attempts()) {
      if (a.passed()) {
        continue;
      }
      if (a.error() != null) {
        return "attempt " + a.attempt() + ": " + a.error();
      }
      List<String> reasons = a.failures().stream().map(r -> r.name() + ": " + r.reason()).toList();
      return "attempt " + a.attempt() + ": " + String.join("; ", reasons);
    }
    return "";
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** Text made safe for one Markdown table cell. */
  static String cell(String text) {
    return BuiltInAssertions.abbreviate(text, 300).replace("\\", "\\\\").replace("|", "\\|");
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "EvalReport[%s: %d/%d cases passed, weighted pass rate %.3f, %d bad rows]", name,
        casesPassed(), cases.size(), weightedPassRate(), errors.size());
  }
}
