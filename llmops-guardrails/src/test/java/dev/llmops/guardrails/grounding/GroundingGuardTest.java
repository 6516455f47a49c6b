package dev.llmops.guardrails.grounding;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.guardrails.grounding.SentenceSupport.Status;
import dev.llmops.test.DeterministicEmbeddingModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroundingGuardTest {

  private static List<Status> statuses(GroundingReport report) {
    return report.sentences().stream().map(SentenceSupport::status).toList();
  }

  @Test
  void supportedAnswerPassesWithAFullGroundedFraction() {
    GroundingReport report = GroundingGuard.defaults().assess(Chunks.answer(
        "Refunds are available within 30 days of purchase [handbook.md#0]. "
            + "Express delivery costs 15 dollars and arrives in two business days [handbook.md#1]."));
    assertThat(statuses(report)).containsExactly(Status.SUPPORTED, Status.SUPPORTED);
    assertThat(report.groundedFraction()).isEqualTo(1.0);
    assertThat(report.sentences().get(0).chunkIds()).containsExactly("handbook.md#0");
    assertThat(report.sentences().get(0).lexicalSupport()).isEqualTo(1.0);
    assertThat(report.sentences().get(0).embeddingSimilarity()).isNull();
  }

  @Test
  void aClaimIsCheckedOnlyAgainstTheChunksItCites() {
    // true in handbook.md#1, but cited to the refunds chunk
    GroundingReport report = GroundingGuard.defaults().assess(Chunks.answer(
        "Express delivery costs 15 dollars and arrives in two business days [handbook.md#0]."));
    assertThat(statuses(report)).containsExactly(Status.UNSUPPORTED);
    assertThat(report.sentences().get(0).unmatchedNumbers()).containsExactly("15");
  }

  @Test
  void partiallySupportedAnswerReportsItsGroundedFractionAndFlags() {
    String text = "Refunds are available within 30 days of purchase [handbook.md#0]. "
        + "Refunds also require a notarised affidavit and a passport copy [handbook.md#0]. "
        + "Shipping is free for orders over 50 dollars [handbook.md#1].";
    GroundingGuard guard = GroundingGuard.defaults();
    GroundingReport report = guard.assess(Chunks.answer(text));
    assertThat(statuses(report)).containsExactly(Status.SUPPORTED, Status.UNSUPPORTED, Status.SUPPORTED);
    assertThat(report.groundedFraction()).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(report.sentences().get(1).lexicalSupport()).isLessThan(0.5);

    GuardVerdict verdict = guard.check(Chunks.answer(text));
    assertThat(verdict).isPass().hasFindingOfType("UNSUPPORTED_CLAIM");
    Finding finding = verdict.findings().get(0);
    assertThat(finding.span().of(text)).startsWith("Refunds also require").endsWith("[handbook.md#0].");
    assertThat(finding.detail()).contains("grounded 2 of 3 claims (0.67)");
    assertThat(verdict.riskScore()).isCloseTo(1.0 / 3, within(1e-9));
  }

  @Test
  void numbersThatAreNotInTheSourceMakeASentenceUnsupported() {
    GuardVerdict verdict = GroundingGuard.defaults().check(Chunks.answer(
        "Refunds are available within 90 days of purchase [handbook.md#0]."));
    assertThat(verdict).hasFindingOfType("NUMBER_MISMATCH");
    assertThat(verdict.findings().get(0).detail()).contains("90");
    // thousands separators and trailing zeros are normalised
    GroundingGuard guard = GroundingGuard.defaults();
    OutputContext context = new OutputContext("The fee is 1,500.00 euros for premium plans [a#0].", "",
        List.of(Chunks.chunk("a#0", "Premium plans have a fee of 1500 euros.")), List.of(), null, Map.of());
    assertThat(guard.check(context)).isPass().hasNoFindings();
  }

  @Test
  void unknownCitationsAreReaskedByDefaultAndCanBlock() {
    String text = "Shipping is free for orders over 50 dollars [handbook.md#7].";
    GuardVerdict verdict = GroundingGuard.defaults().check(Chunks.answer(text));
    assertThat(verdict).isReask().hasFindingOfType("UNKNOWN_CITATION");
    Finding unknown = verdict.findings().stream().filter(f -> f.type().equals("UNKNOWN_CITATION")).findFirst().orElseThrow();
    assertThat(unknown.span().of(text)).isEqualTo("[handbook.md#7]");
    assertThat(((GuardVerdict.Reask) verdict).instruction()).contains("handbook.md#7").contains("handbook.md#0, handbook.md#1, faq.md#3");

    GroundingGuard blocking = GroundingGuard.builder().unknownCitationAction(UnknownCitationAction.BLOCK).build();
    assertThat(blocking.check(Chunks.answer(text))).isBlock();
    GroundingReport report = blocking.assess(Chunks.answer(text));
    assertThat(report.unknownCitations()).extracting(GroundingReport.UnknownCitation::id).containsExactly("handbook.md#7");
    assertThat(statuses(report)).containsExactly(Status.UNSUPPORTED);
    assertThat(report.sentences().get(0).reason()).contains("not retrieved");
  }

  @Test
  void numberedCitationsResolveToTheNthChunk() {
    GroundingReport report = GroundingGuard.defaults().assess(Chunks.answer(
        "Shipping is free for orders over 50 dollars [2]. Refunds take 30 days of purchase [1, 2]. Emails are answered on Sundays [4]."));
    assertThat(report.sentences().get(0).chunkIds()).containsExactly("handbook.md#1");
    assertThat(report.sentences().get(1).chunkIds()).containsExactly("handbook.md#0", "handbook.md#1");
    assertThat(report.unknownCitations()).extracting(GroundingReport.UnknownCitation::id).containsExactly("4");
    GroundingGuard off = GroundingGuard.builder().numberedCitations(false).build();
    assertThat(off.assess(Chunks.answer("Shipping is free for orders over 50 dollars [2].")).unknownCitations()).isEmpty();
  }

  @Test
  void markersAfterTheFullStopBelongToTheSentenceBefore() {
    String text = "Shipping is free for orders over 50 dollars. [handbook.md#1] Refunds are available within 30 days. [handbook.md#0]";
    GroundingReport report = GroundingGuard.builder().uncitedSentences(UncitedSentences.UNSUPPORTED).build()
        .assess(Chunks.answer(text));
    // the final marker is a sentence of its own for the splitter; it belongs to the sentence before and is skipped
    assertThat(statuses(report)).containsExactly(Status.SUPPORTED, Status.SUPPORTED, Status.SKIPPED);
    assertThat(report.sentences().get(0).chunkIds()).containsExactly("handbook.md#1");
    assertThat(report.sentences().get(1).chunkIds()).containsExactly("handbook.md#0");
  }

  @Test
  void nonClaimsAreSkipped() {
    String text = "# Refunds\nHere is what I found:\nWould you like the shipping rates too?\n"
        + "I don't know whether gift cards can be refunded.\nHope this helps!\n"
        + "Refunds are available within 30 days of purchase [handbook.md#0].";
    GroundingReport report = GroundingGuard.defaults().assess(Chunks.answer(text));
    assertThat(statuses(report)).containsExactly(Status.SKIPPED, Status.SKIPPED, Status.SKIPPED, Status.SKIPPED,
        Status.SKIPPED, Status.SUPPORTED);
    assertThat(report.sentences()).extracting(SentenceSupport::reason)
        .startsWith("not a claim: heading or lead-in", "not a claim: heading or lead-in", "not a claim: question",
            "not a claim: abstention", "not a claim: fewer than 3 content words");
    assertThat(report.claims()).isEqualTo(1);
  }

  @Test
  void uncitedPolicyDecidesAboutClaimsWithoutCitations() {
    String text = "Shipping is free for orders over 50 dollars.";
    assertThat(statuses(GroundingGuard.defaults().assess(Chunks.answer(text)))).containsExactly(Status.SUPPORTED);
    assertThat(statuses(GroundingGuard.builder().uncitedSentences(UncitedSentences.UNSUPPORTED).build()
        .assess(Chunks.answer(text)))).containsExactly(Status.UNSUPPORTED);
    assertThat(statuses(GroundingGuard.builder().uncitedSentences(UncitedSentences.IGNORE).build()
        .assess(Chunks.answer(text)))).containsExactly(Status.SKIPPED);
    // no sources at all: nothing to check against
    assertThat(statuses(GroundingGuard.defaults().assess(OutputContext.of(text)))).containsExactly(Status.UNSUPPORTED);
  }

  @Test
  void stripRewritesWithoutTheUnsupportedSentences() {
    GroundingGuard guard = GroundingGuard.builder().action(GroundingAction.STRIP).build();
    String text = "Refunds are available within 30 days of purchase. [handbook.md#0] "
        + "Refunds also require a notarised affidavit from a lawyer. [handbook.md#0] "
        + "Shipping is free for orders over 50 dollars [handbook.md#1].";
    assertThat(guard.check(Chunks.answer(text))).isRewriteTo(
        "Refunds are available within 30 days of purchase. [handbook.md#0] "
            + "Shipping is free for orders over 50 dollars [handbook.md#1].");
    // nothing supported would remain: block instead of an empty answer
    assertThat(guard.check(Chunks.answer("Refunds require a notarised affidavit from a lawyer [handbook.md#0].")))
        .isBlock();
  }

  @Test
  void minGroundedFractionDecidesWhenTheActionApplies() {
    String text = "Refunds are available within 30 days of purchase [handbook.md#0]. "
        + "Refunds are available within 30 days of purchase [handbook.md#0]. "
        + "Refunds also require a notarised affidavit from a lawyer [handbook.md#0].";
    GroundingGuard strict = GroundingGuard.builder().action(GroundingAction.BLOCK).build();
    GroundingGuard lenient = GroundingGuard.builder().action(GroundingAction.BLOCK).minGroundedFraction(0.6).build();
    assertThat(strict.check(Chunks.answer(text))).isBlock();
    assertThat(lenient.check(Chunks.answer(text))).isPass().hasFindingOfType("UNSUPPORTED_CLAIM");
  }

  @Test
  void reaskNamesTheUnsupportedSentences() {
    GroundingGuard guard = GroundingGuard.builder().action(GroundingAction.REASK).build();
    GuardVerdict verdict = guard.check(Chunks.answer(
        "Refunds are available within 30 days of purchase [handbook.md#0]. Gift cards never expire [handbook.md#0]."));
    assertThat(verdict).isReask();
    String instruction = ((GuardVerdict.Reask) verdict).instruction();
    assertThat(instruction).contains("\"Gift cards never expire [handbook.md#0].\"").doesNotContain("within 30 days");
  }

  @Test
  void embeddingSimilarityIsCombinedWithWordOverlap() {
    DeterministicEmbeddingModel model = DeterministicEmbeddingModel.create();
    GroundingGuard guard = GroundingGuard.builder().embeddingModel(model).build();
    GroundingReport report = guard.assess(Chunks.answer(
        "Refunds are available within 30 days of purchase [handbook.md#0]. "
            + "Gift cards can be exchanged for cryptocurrency at partner kiosks [handbook.md#0]."));
    SentenceSupport supported = report.sentences().get(0);
    SentenceSupport unsupported = report.sentences().get(1);
    assertThat(supported.embeddingSimilarity()).isNotNull().isGreaterThan(0.9);
    assertThat(unsupported.embeddingSimilarity()).isNotNull().isLessThan(supported.embeddingSimilarity());
    assertThat(supported.support()).isCloseTo(0.5 * supported.lexicalSupport() + 0.5 * supported.embeddingSimilarity(),
        within(1e-9));
    assertThat(statuses(report)).containsExactly(Status.SUPPORTED, Status.UNSUPPORTED);
    // embedding alone: a paraphrase sharing word pieces is still supported
    GroundingGuard embeddingOnly = GroundingGuard.builder().embeddingModel(model).lexicalWeight(0).minSupport(0.3).build();
    assertThat(statuses(embeddingOnly.assess(Chunks.answer(
        "Refunding is possible for thirty days after purchasing [handbook.md#0]."))))
        .containsExactly(Status.SUPPORTED);
  }

  @Test
  void citationShapesThatAreNotCitationsAreIgnored() {
    GroundingReport report = GroundingGuard.defaults().assess(Chunks.answer(
        "See [the refund page](https://example.com/refunds) for refunds within 30 days of purchase [handbook.md#0]. "
            + "Customers must include the original receipt [sic] [handbook.md#0]."));
    assertThat(report.unknownCitations()).isEmpty();
    assertThat(statuses(report)).containsExactly(Status.SUPPORTED, Status.SUPPORTED);
  }

  @Test
  void sentencesBeyondTheLimitAreNotAssessed() {
    GroundingGuard guard = GroundingGuard.builder().maxSentences(2).action(GroundingAction.STRIP).build();
    String text = "Refunds are available within 30 days of purchase [1]. Shipping is free for orders over 50 dollars [2]. "
        + "We ship to 27 countries [2]. Express delivery costs 15 dollars [2].";
    GroundingReport report = guard.assess(Chunks.answer(text));
    assertThat(statuses(report)).containsExactly(Status.SUPPORTED, Status.SUPPORTED, Status.NOT_ASSESSED);
    assertThat(report.claims()).isEqualTo(3);
    GuardVerdict verdict = guard.check(Chunks.answer(text));
    assertThat(verdict).isRewriteTo("Refunds are available within 30 days of purchase [1]. "
        + "Shipping is free for orders over 50 dollars [2].").hasFindingOfType("GROUNDING_NOT_ASSESSED");
  }

  @Test
  void builderRejectsBadValues() {
    assertThatThrownBy(() -> GroundingGuard.builder().minSupport(1.5)).hasMessageContaining("1.5");
    assertThatThrownBy(() -> GroundingGuard.builder().citationStyles(Set.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GroundingGuard.builder().maxSentences(0)).hasMessageContaining("0");
    assertThatThrownBy(() -> GroundingGuard.builder().abstentionPhrases(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lexiconNormalisesWordsAndNumbers() {
    assertThat(Lexicon.stem("refunds")).isEqualTo(Lexicon.stem("refund"));
    assertThat(Lexicon.stem("included")).isEqualTo(Lexicon.stem("includes")).isEqualTo(Lexicon.stem("including"));
    assertThat(Lexicon.stem("countries")).isEqualTo(Lexicon.stem("country"));
    assertThat(Lexicon.normaliseNumber("1,500.50")).isEqualTo("1500.5");
    assertThat(Lexicon.normaliseNumber("15.0")).isEqualTo("15");
    assertThat(Lexicon.terms("Model L6 has 22M parameters, released 2021.", 0, 43).numbers()).containsExactly("2021");
  }
}
