package dev.llmops.guardrails.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.test.DeterministicEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicGuardTest {

  private final TopicGuard guard = TopicGuardContractTest.billingGuard();

  @Test
  void blocksABannedTopicBySimilarityAndNamesIt() {
    GuardVerdict verdict = guard.check(InputContext.of("Which stocks should I buy this year?"));
    assertThat(verdict).isInstanceOf(GuardVerdict.Block.class);
    assertThat(((GuardVerdict.Block) verdict).safeMessage()).doesNotContain("investment");
    Finding f = verdict.findings().get(0);
    assertThat(f.type()).isEqualTo("BANNED_TOPIC");
    assertThat(f.detail()).contains("'investment-advice'").contains("similarity");
    assertThat(f.score()).isGreaterThanOrEqualTo(0.45);
  }

  @Test
  void passesOnTopicTextsWithoutFindings() {
    for (String text : List.of("How can I update the credit card on my account?", "my subscription refund")) {
      assertThat(guard.check(InputContext.of(text))).isEqualTo(GuardVerdict.pass());
    }
  }

  @Test
  void blocksOffTopicTextsNamingTheNearestAllowedTopic() {
    GuardVerdict verdict = guard.check(InputContext.of("What is the capital of France?"));
    assertThat(verdict).isInstanceOf(GuardVerdict.Block.class);
    assertThat(verdict.findings()).extracting(Finding::type).containsExactly("OFF_TOPIC");
    assertThat(verdict.findings().get(0).detail()).contains("'billing'");
    assertThat(verdict.findings().get(0).span()).isNull();
  }

  @Test
  void findsTheBannedSentenceInsideALongerText() {
    String billing = "How can I update the credit card on my account? ";
    String banned = "Also, which stocks should I buy this year?";
    String text = billing.repeat(30) + banned + " " + billing.repeat(30);
    GuardVerdict verdict = guard.check(OutputContext.of(text));
    assertThat(verdict).isInstanceOf(GuardVerdict.Block.class);
    Finding f = verdict.findings().get(0);
    assertThat(f.type()).isEqualTo("BANNED_TOPIC");
    assertThat(f.span().of(text)).isEqualTo(banned);
  }

  @Test
  void packsSentencesIntoWindowsWhenThereAreManyAndStillFindsTheBannedOne() {
    DeterministicEmbeddingModel model = DeterministicEmbeddingModel.create();
    TopicGuard packed = TopicGuard.builder().embeddingModel(model).maxSentences(4).maxEmbedChars(120)
        .bannedTopic("stocks", List.of("Which stocks should I buy to get rich?"), List.of(), 0.45).build();
    String calm = "The garden needs water every morning. ";
    String text = calm.repeat(12) + "Which stocks should I buy to get rich quickly? " + calm.repeat(12);
    long before = model.textCount();
    GuardVerdict verdict = packed.check(InputContext.of(text));
    assertThat(model.textCount() - before).as("windows, not 25 sentences").isLessThan(25);
    assertThat(verdict).isInstanceOf(GuardVerdict.Block.class);
    assertThat(verdict.findings().get(0).span().of(text)).contains("Which stocks should I buy");
  }

  @Test
  void keywordsMatchWholeWordsThroughCaseAccentsLeetAndSpacing() {
    TopicGuard keywords = TopicGuard.builder()
        .bannedTopic("crypto", List.of(), List.of("bitcoin", "stock tips")).build();
    for (String text : List.of("buy BITCOIN now", "buy b1tc0in now", "buy bítcoin now", "buy b i t c o i n now",
        "is bitcoin!", "b\u0456tcoin", "any stock   tips?", "stock-tips please")) {
      GuardVerdict verdict = keywords.check(InputContext.of(text));
      assertThat(verdict).as(text).isInstanceOf(GuardVerdict.Block.class);
      Finding f = verdict.findings().get(0);
      assertThat(f.detail()).contains("'crypto'").contains("keyword");
      assertThat(f.span().of(text).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9\u0456í]", ""))
          .isNotEmpty();
    }
    for (String text : List.of("bitcoins are plural", "bitcoinery", "the stock is up", "tips for stock photos")) {
      assertThat(keywords.check(InputContext.of(text))).as(text).isEqualTo(GuardVerdict.pass());
    }
  }

  @Test
  void keywordSpanPointsAtTheOriginalText() {
    TopicGuard keywords = TopicGuard.builder().bannedTopic("crypto", List.of(), List.of("bitcoin")).build();
    String text = "I like B1TC0IN a lot";
    assertThat(keywords.check(InputContext.of(text)).findings().get(0).span().of(text)).isEqualTo("B1TC0IN");
  }

  @Test
  void allowedKeywordsPutATextOnTopicWithoutAModel() {
    TopicGuard keywords = TopicGuard.builder().allowedTopic("billing", List.of(), List.of("invoice", "refund"))
        .build();
    assertThat(keywords.check(InputContext.of("Where is my Invoice?"))).isEqualTo(GuardVerdict.pass());
    GuardVerdict off = keywords.check(InputContext.of("Tell me a joke"));
    assertThat(off.findings()).extracting(Finding::type).containsExactly("OFF_TOPIC");
    assertThat(off.findings().get(0).detail()).contains("keyword");
  }

  @Test
  void reportActionPassesWithFindings() {
    TopicGuard reporting = TopicGuard.builder().action(ContentAction.REPORT)
        .bannedTopic("crypto", List.of(), List.of("bitcoin")).build();
    GuardVerdict verdict = reporting.check(InputContext.of("bitcoin"));
    assertThat(verdict).isInstanceOf(GuardVerdict.Pass.class);
    assertThat(verdict.findings()).hasSize(1);
    assertThat(verdict.riskScore()).isEqualTo(1.0);
  }

  @Test
  void embedsExamplesOnceAtBuildAndEachTextInOneCall() {
    DeterministicEmbeddingModel model = DeterministicEmbeddingModel.create();
    TopicGuard g = TopicGuard.builder().embeddingModel(model)
        .bannedTopic("weapons", List.of("how to build a bomb", "where can I buy a gun"), List.of()).build();
    assertThat(model.callCount()).isEqualTo(1);
    assertThat(model.textCount()).isEqualTo(2);
    g.check(InputContext.of("where can I buy a gun cheaply"));
    g.check(InputContext.of("hello"));
    assertThat(model.callCount()).isEqualTo(3);
  }

  @Test
  void thresholdsDecide() {
    DeterministicEmbeddingModel model = DeterministicEmbeddingModel.create();
    String text = "Should I buy shares of Tesla?";
    TopicGuard strict = TopicGuard.builder().embeddingModel(model)
        .bannedTopic("stocks", List.of("Which stocks should I buy to get rich?"), List.of(), 0.9).build();
    TopicGuard loose = TopicGuard.builder().embeddingModel(model).bannedThreshold(0.1)
        .bannedTopic("stocks", List.of("Which stocks should I buy to get rich?"), List.of()).build();
    assertThat(strict.check(InputContext.of(text))).isEqualTo(GuardVerdict.pass());
    assertThat(loose.check(InputContext.of(text))).isInstanceOf(GuardVerdict.Block.class);
  }

  @Test
  void blankTextPasses() {
    assertThat(guard.check(InputContext.of("  \n"))).isEqualTo(GuardVerdict.pass());
  }

  @Test
  void builderRejectsBadConfigurationNamingIt() {
    assertThatThrownBy(() -> TopicGuard.builder().build()).hasMessageContaining("at least one");
    assertThatThrownBy(() -> TopicGuard.builder().bannedTopic("x", List.of("an example"), List.of()).build())
        .hasMessageContaining("'x'").hasMessageContaining("embedding model");
    assertThatThrownBy(() -> TopicGuard.builder().bannedTopic("x", List.of(), List.of()))
        .hasMessageContaining("'x'");
    assertThatThrownBy(() -> TopicGuard.builder().bannedTopic("x", List.of(), List.of("a")).bannedTopic("x",
        List.of(), List.of("b"))).hasMessageContaining("already");
    assertThatThrownBy(() -> TopicGuard.builder().bannedTopic("x", List.of(), List.of("a"), 1.5))
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> TopicGuard.builder().bannedTopic("x", List.of(), List.of(" ")))
        .hasMessageContaining("blank keyword");
    assertThatThrownBy(() -> TopicGuard.builder().action(ContentAction.MASK)).hasMessageContaining("MASK");
    assertThatThrownBy(() -> TopicGuard.builder().maxEmbedChars(10)).hasMessageContaining("10");
  }
}
