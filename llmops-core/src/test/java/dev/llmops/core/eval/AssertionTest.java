package dev.llmops.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmops.core.InvalidRequestException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every stock assertion, passing and failing, with the reasons a report shows. */
class AssertionTest {

  private static EvalOutput out(String text) {
    return EvalOutput.builder(text).build();
  }

  @Test
  void equalsComparesStrippedTextAndFallsBackToTheExpectedValue() {
    assertThat(Assertion.equalTo("Paris").check(out("  Paris\n")).passed()).isTrue();
    AssertionResult wrong = Assertion.equalTo("Paris").check(out("paris"));
    assertThat(wrong.passed()).isFalse();
    assertThat(wrong.score()).isZero();
    assertThat(wrong.reason()).contains("expected \"Paris\"").contains("\"paris\"");
    assertThat(Assertion.equalTo("Paris", true).check(out("PARIS")).passed()).isTrue();

    Assertion expected = Assertion.equalsExpected();
    assertThat(expected.check(EvalOutput.builder("42").expected("42").build()).passed()).isTrue();
    assertThat(expected.check(EvalOutput.builder("41").expected("42").build()).passed()).isFalse();
    assertThat(expected.check(out("42")).reason()).contains("no 'expected'");
  }

  @Test
  void containsAndNotContainsWithAndWithoutCase() {
    assertThat(Assertion.contains("refund").check(out("Your refund is on its way")).passed()).isTrue();
    assertThat(Assertion.contains("refund").check(out("Your REFUND is on its way")).passed()).isFalse();
    assertThat(Assertion.contains("refund", true).check(out("Your REFUND is on its way")).passed()).isTrue();
    assertThat(Assertion.notContains("sorry").check(out("Here you go")).passed()).isTrue();
    AssertionResult said = Assertion.notContains("sorry", true).check(out("Sorry, no."));
    assertThat(said.passed()).isFalse();
    assertThat(said.reason()).contains("contains \"sorry\"");
    assertThat(Assertion.notContains("sorry").check(out("Sorry, no.")).passed()).isTrue(); // case-sensitive
    assertThatThrownBy(() -> Assertion.contains("")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void regexFindsAMatchAnywhereAndRejectsBadPatterns() {
    Assertion order = Assertion.regex("order #\\d{5}");
    assertThat(order.check(out("It is order #12345, shipped.")).passed()).isTrue();
    assertThat(order.check(out("It is order #12345, shipped.")).reason()).contains("order #12345");
    assertThat(order.check(out("It is order #12, shipped.")).passed()).isFalse();
    assertThatThrownBy(() -> Assertion.regex("(unclosed")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("(unclosed");
  }

  @Test
  void isJsonWantsExactlyOneValue() {
    assertThat(Assertion.isJson().check(out("{\"a\": [1, 2]}")).passed()).isTrue();
    assertThat(Assertion.isJson().check(out(" 17 ")).passed()).isTrue();
    assertThat(Assertion.isJson().check(out("{\"a\": 1} trailing")).passed()).isFalse();
    AssertionResult prose = Assertion.isJson().check(out("Sure! {\"a\": 1}"));
    assertThat(prose.passed()).isFalse();
    assertThat(prose.reason()).startsWith("the answer is not JSON");
    assertThat(Assertion.isJson().check(out("")).passed()).isFalse();
  }

  @Test
  void jsonSchemaValidatesTheAnswerAndNamesTheViolation() {
    Assertion schema = Assertion.jsonSchema("{\"type\": \"object\", \"required\": [\"answer\"], "
        + "\"properties\": {\"answer\": {\"type\": \"string\"}, \"confidence\": {\"type\": \"number\", \"maximum\": 1}}}");
    assertThat(schema.check(out("{\"answer\": \"yes\", \"confidence\": 0.9}")).passed()).isTrue();
    AssertionResult missing = schema.check(out("{\"confidence\": 0.9}"));
    assertThat(missing.passed()).isFalse();
    assertThat(missing.reason()).contains("answer");
    AssertionResult tooHigh = schema.check(out("{\"answer\": \"yes\", \"confidence\": 3}"));
    assertThat(tooHigh.passed()).isFalse();
    assertThat(tooHigh.reason()).contains("confidence");
    assertThat(schema.check(out("not json")).reason()).startsWith("the answer is not JSON");
    assertThatThrownBy(() -> Assertion.jsonSchema("{\"type\": \"no-such-type\"}"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a valid JSON Schema");
    assertThatThrownBy(() -> Assertion.jsonSchema("{not json")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void similarComparesEmbeddingsWithTheThreshold() {
    EvalFixtures.BagOfWords embeddings = new EvalFixtures.BagOfWords();
    Assertion similar = Assertion.similar(embeddings, "refunds take five business days", 0.8);
    AssertionResult close = similar.check(out("Refunds take five business days."));
    assertThat(close.passed()).isTrue();
    assertThat(close.score()).isCloseTo(1.0, within(1e-3));
    AssertionResult far = similar.check(out("The weather in Lisbon is sunny"));
    assertThat(far.passed()).isFalse();
    assertThat(far.score()).isLessThan(0.5);
    assertThat(far.reason()).contains("cosine").contains("bag-of-words");
    Assertion toExpected = Assertion.similar(embeddings, null, 0.8);
    assertThat(toExpected.check(EvalOutput.builder("five business days").expected("Five business days").build())
        .passed()).isTrue();
  }

  @Test
  void groundedMeasuresTheShareOfSupportedSentences() {
    ContextPassage policy = new ContextPassage("1", "Refunds are paid within five business days of the return "
        + "arriving at our warehouse.");
    Assertion grounded = Assertion.grounded(0.75);
    AssertionResult all = grounded.check(EvalOutput.builder("Refunds are paid within five business days. [1]")
        .context(policy).build());
    assertThat(all.passed()).isTrue();
    assertThat(all.score()).isEqualTo(1.0);
    AssertionResult half = grounded.check(EvalOutput.builder("Refunds are paid within five business days. "
        + "You also get a free gift voucher for your trouble.").context(policy).build());
    assertThat(half.passed()).isFalse();
    assertThat(half.score()).isEqualTo(0.5);
    assertThat(half.reason()).contains("0.500").contains("< 0.75");
    assertThat(grounded.check(out("Anything.")).reason()).contains("no context");

    GroundingScorer pessimist = (answer, context) -> 0.1;
    assertThat(Assertion.grounded(pessimist, 0.5).check(EvalOutput.builder("x").context(policy).build()).score())
        .isEqualTo(0.1);
    GroundingScorer broken = (answer, context) -> 7;
    assertThat(Assertion.grounded(broken, 0.5).check(EvalOutput.builder("x").context(policy).build()).reason())
        .contains("returned 7.0");
  }

  @Test
  void citationPresentAcceptsNumberedMarkersAndSourceIds() {
    ContextPassage a = new ContextPassage("kb-17", "text a");
    ContextPassage b = new ContextPassage("kb-18", "text b");
    Assertion cited = Assertion.citationPresent();
    assertThat(cited.check(EvalOutput.builder("Yes [2].").context(a, b).build()).passed()).isTrue();
    assertThat(cited.check(EvalOutput.builder("Yes (see kb-18).").context(a, b).build()).passed()).isTrue();
    AssertionResult outOfRange = cited.check(EvalOutput.builder("Yes [3].").context(a, b).build());
    assertThat(outOfRange.passed()).isFalse();
    assertThat(outOfRange.reason()).contains("kb-17");
    assertThat(cited.check(EvalOutput.builder("Yes, kb-170 says so.").context(a, b).build()).passed()).isFalse();
    assertThat(cited.check(out("Yes [1].")).passed()).isTrue();
    assertThat(cited.check(out("Yes.")).passed()).isFalse();
  }

  @Test
  void latencyAndCostCompareWithTheirLimits() {
    Assertion fast = Assertion.latency(Duration.ofMillis(500));
    assertThat(fast.check(EvalOutput.builder("a").latency(Duration.ofMillis(500)).build()).passed()).isTrue();
    AssertionResult slow = fast.check(EvalOutput.builder("a").latency(Duration.ofMillis(501)).build());
    assertThat(slow.passed()).isFalse();
    assertThat(slow.reason()).contains("501.0 ms");

    Assertion cheap = Assertion.cost(0.01);
    assertThat(cheap.check(EvalOutput.builder("a").cost(0.004).build()).passed()).isTrue();
    assertThat(cheap.check(EvalOutput.builder("a").cost(0.02).build()).passed()).isFalse();
    assertThat(cheap.check(out("a")).reason()).contains("no cost known");
    assertThatThrownBy(() -> Assertion.cost(-1)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("-1");
  }

  @Test
  void customPredicatesAndScores() {
    Assertion shortAnswer = Assertion.of("short", o -> o.text().length() <= 10);
    assertThat(shortAnswer.check(out("brief")).passed()).isTrue();
    assertThat(shortAnswer.check(out("far too long an answer")).passed()).isFalse();
    assertThat(shortAnswer.name()).isEqualTo("short");

    Assertion words = Assertion.scored("word share", o -> Math.min(1, o.text().split(" ").length / 4.0), 0.5);
    AssertionResult two = words.check(out("two words"));
    assertThat(two.score()).isEqualTo(0.5);
    assertThat(two.passed()).isTrue();
    assertThat(words.check(out("one")).passed()).isFalse();
    assertThat(Assertion.scored("bad", o -> 2, 0.5).check(out("x")).reason()).contains("2.0");
    assertThatThrownBy(() -> Assertion.of(" ", o -> true)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void tokenOverlapIgnoresStopWordsAndCitationMarkers() {
    List<ContextPassage> ctx = List.of(new ContextPassage("1", "The Eiffel Tower is 330 metres tall."));
    GroundingScorer scorer = GroundingScorer.tokenOverlap();
    assertThat(scorer.groundedFraction("It is 330 metres tall [1].", ctx)).isEqualTo(1.0);
    assertThat(scorer.groundedFraction("It was built of bronze by Romans.", ctx)).isEqualTo(0.0);
    assertThat(scorer.groundedFraction("", ctx)).isEqualTo(1.0); // no claims
    assertThatThrownBy(() -> GroundingScorer.tokenOverlap(0)).isInstanceOf(InvalidRequestException.class);
  }
}
