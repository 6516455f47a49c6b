package dev.llmops.core.eval;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.embedding.EmbeddingModel;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * A check of one answer: it returns a score in [0, 1] and a pass or fail with the reason. The stock checks come from
 * the static factories; any other is a lambda through {@link #of} or {@link #scored}, or an implementation of this
 * interface.
 *
 * <pre>{@code
 * Assertion.contains("refund", true)                     // case-insensitive
 * Assertion.jsonSchema("{\"type\": \"object\", \"required\": [\"answer\"]}")
 * Assertion.similar(embeddings, "Refunds take five business days.", 0.8)
 * Assertion.grounded(0.75)                               // share of sentences supported by the case's context
 * Assertion.of("short", out -> out.text().length() < 400)
 * }</pre>
 *
 * <p>Implementations must be safe to call from several threads at once (the runner checks attempts in parallel when
 * asked to) and should be pure functions of the output. An assertion that throws does not stop a run: the runner
 * records a failure of that assertion naming the exception, and goes on.
 */
public interface Assertion {

  /** A short description for reports, such as {@code contains("refund")}. */
  String name();

  /**
   * Checks one answer.
   *
   * @param output the answer and what the case expected
   * @return the score and verdict
   * @throws RuntimeException for a check that cannot be made; the runner turns it into a failure
   */
  AssertionResult check(EvalOutput output);

  /**
   * The answer equals {@code expected}, after stripping leading and trailing white space from both.
   *
   * @param expected the expected answer; {@code null} compares with the case's {@code expected}
   * @param ignoreCase whether case is ignored (by {@link java.util.Locale#ROOT} rules)
   */
  static Assertion equalTo(@Nullable String expected, boolean ignoreCase) {
    return new BuiltInAssertions.Equal(expected, ignoreCase);
  }

  /** The answer equals {@code expected} exactly, apart from surrounding white space. */
  static Assertion equalTo(String expected) {
    return equalTo(expected, false);
  }

  /** The answer equals the case's {@code expected} value, apart from surrounding white space; fails if it has none. */
  static Assertion equalsExpected() {
    return equalTo(null, false);
  }

  /**
   * The answer contains {@code value}.
   *
   * @throws InvalidRequestException if value is empty
   */
  static Assertion contains(String value, boolean ignoreCase) {
    return new BuiltInAssertions.Contains(value, ignoreCase, false);
  }

  /** The answer contains {@code value}, case-sensitively. */
  static Assertion contains(String value) {
    return contains(value, false);
  }

  /**
   * The answer does not contain {@code value}.
   *
   * @throws InvalidRequestException if value is empty
   */
  static Assertion notContains(String value, boolean ignoreCase) {
    return new BuiltInAssertions.Contains(value, ignoreCase, true);
  }

  /** The answer does not contain {@code value}, case-sensitively. */
  static Assertion notContains(String value) {
    return notContains(value, false);
  }

  /**
   * The regular expression {@code pattern} ({@link java.util.regex.Pattern} syntax) matches somewhere in the answer;
   * anchor it with {@code ^...$} to match the whole answer.
   *
   * @throws InvalidRequestException if the pattern does not compile
   */
  static Assertion regex(String pattern) {
    return new BuiltInAssertions.Regex(pattern);
  }

  /** The answer is exactly one JSON value (object, array, string, number, boolean or null), nothing before or after. */
  static Assertion isJson() {
    return BuiltInAssertions.IsJson.INSTANCE;
  }

  /**
   * The answer is JSON that conforms to {@code schemaJson}. The draft comes from the schema's {@code $schema}
   * (2020-12 when it has none); only references inside the schema resolve, never remote ones.
   *
   * @throws InvalidRequestException if the schema is not JSON or not a valid schema of its draft
   */
  static Assertion jsonSchema(String schemaJson) {
    return BuiltInAssertions.JsonSchemaCheck.compile(schemaJson);
  }

  /**
   * The answer's embedding has a cosine similarity of at least {@code threshold} with the reference's. The score is
   * the cosine, clamped to [0, 1]. Both texts are embedded in one call.
   *
   * @param model the embedding model
   * @param reference the reference text; {@code null} uses the case's {@code expected}
   * @param threshold the least cosine that passes, in [-1, 1]
   * @throws InvalidRequestException if threshold is out of range
   */
  static Assertion similar(EmbeddingModel model, @Nullable String reference, double threshold) {
    return new BuiltInAssertions.Similar(model, reference, threshold);
  }

  /**
   * The share of answer sentences supported by the case's context, by {@link GroundingScorer#tokenOverlap()}, is at
   * least {@code threshold}. The score is that share. Fails when the case has no context.
   *
   * @throws InvalidRequestException if threshold is not in [0, 1]
   */
  static Assertion grounded(double threshold) {
    return grounded(GroundingScorer.tokenOverlap(), threshold);
  }

  /**
   * The grounded fraction by {@code scorer} is at least {@code threshold}; plug in the guardrails module's grounding
   * guard (embedding support, citation checks) here.
   *
   * @throws InvalidRequestException if threshold is not in [0, 1]
   */
  static Assertion grounded(GroundingScorer scorer, double threshold) {
    return new BuiltInAssertions.Grounded(scorer, threshold);
  }

  /**
   * The answer cites a source of the case: a marker {@code [n]} with n from 1 to the number of context passages, or
   * the id of one of the passages (as a whole word, bracketed or not). A case without context passes with any
   * {@code [n]} marker.
   */
  static Assertion citationPresent() {
    return BuiltInAssertions.CitationPresent.INSTANCE;
  }

  /**
   * The answer took at most {@code max}.
   *
   * @throws InvalidRequestException if max is negative
   */
  static Assertion latency(Duration max) {
    return new BuiltInAssertions.Latency(max);
  }

  /**
   * The answer cost at most {@code max} (in the price table's currency). Fails when the target reported no cost:
   * give a model target a {@link dev.llmops.core.routing.PriceTable}, or evaluate a router release.
   *
   * @throws InvalidRequestException if max is negative or not finite
   */
  static Assertion cost(double max) {
    return new BuiltInAssertions.Cost(max);
  }

  /**
   * A yes/no check of your own. The score is 1 or 0; the reason says which.
   *
   * @param name the name in reports
   * @param predicate true when the answer passes; called from the runner's threads
   */
  static Assertion of(String name, Predicate<EvalOutput> predicate) {
    return new BuiltInAssertions.Custom(name, predicate);
  }

  /**
   * A graded check of your own: passes when {@code score} gives at least {@code threshold}.
   *
   * @param name the name in reports
   * @param score a score in [0, 1]; a value outside fails the check with the value named
   * @param threshold the least score that passes, in [0, 1]
   * @throws InvalidRequestException if threshold is not in [0, 1]
   */
  static Assertion scored(String name, ToDoubleFunction<EvalOutput> score, double threshold) {
    return new BuiltInAssertions.Scored(name, score, threshold);
  }
}
