package dev.llmops.guardrails.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.classify.Classification;
import dev.llmops.core.classify.LabelScore;
import dev.llmops.core.classify.TextClassifier;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.OutputContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ToxicityGuardTest {

  private final ToxicityGuard guard = ToxicityGuard.defaults();

  @Test
  void catchesEveryObfuscatedToxicTextWithItsCategory() {
    List<String> missed = new ArrayList<>();
    for (ToxicityCorpus.Case c : ToxicityCorpus.toxic()) {
      GuardVerdict verdict = guard.check(InputContext.of(c.text()));
      boolean ok = verdict instanceof GuardVerdict.Block
          && verdict.findings().stream().anyMatch(f -> f.type().equals(c.category().name()));
      if (!ok) {
        missed.add(c.category() + " <" + c.text() + "> got " + verdict);
      }
    }
    assertThat(missed).as("recall on %s cases", ToxicityCorpus.toxic().size()).isEmpty();
  }

  @Test
  void passesInnocentWordsThatContainToxicOnes() {
    for (String text : ToxicityCorpus.innocent()) {
      assertThat(guard.check(InputContext.of(text))).as(text).isEqualTo(GuardVerdict.pass());
    }
  }

  @Test
  void spansCoverTheObfuscatedWordInTheOriginalText() {
    String text = "well f.u.c.k that";
    Finding f = guard.check(InputContext.of(text)).findings().get(0);
    assertThat(f.span().of(text)).isEqualTo("f.u.c.k");
    String masked = "oh sh*t!";
    assertThat(guard.check(InputContext.of(masked)).findings().get(0).span().of(masked)).isEqualTo("sh*t");
  }

  @Test
  void detailsNameTheCategoryNotTheWord() {
    Finding f = guard.check(InputContext.of("you moron")).findings().get(0);
    assertThat(f.detail()).isEqualTo("insult term, severity 0.50");
    assertThat(f.score()).isEqualTo(0.5);
  }

  @Test
  void maskActionReplacesOnlyTheMatchedWords() {
    ToxicityGuard masking = ToxicityGuard.builder().action(ContentAction.MASK).build();
    GuardVerdict verdict = masking.check(OutputContext.of("Well, fuuuck this moron, honestly."));
    assertThat(verdict).isInstanceOf(GuardVerdict.Rewrite.class);
    assertThat(((GuardVerdict.Rewrite) verdict).text()).isEqualTo("Well, ****** this *****, honestly.");
    GuardVerdict phrase = masking.check(OutputContext.of("I will kill you."));
    assertThat(((GuardVerdict.Rewrite) phrase).text()).isEqualTo("* **** **** ***.");
  }

  @Test
  void lowSeverityTermsAreReportedButNotActedOn() {
    GuardVerdict verdict = guard.check(InputContext.of("damn, that is a stupid question"));
    assertThat(verdict).isInstanceOf(GuardVerdict.Pass.class);
    assertThat(verdict.findings()).extracting(Finding::type).containsExactly("PROFANITY", "INSULT");
    assertThat(verdict.riskScore()).isEqualTo(0.3);
    assertThat(ToxicityGuard.builder().minSeverity(0.2).build().check(InputContext.of("that is stupid")))
        .isInstanceOf(GuardVerdict.Block.class);
  }

  @Test
  void reportActionPassesWithFindings() {
    GuardVerdict verdict = ToxicityGuard.builder().action(ContentAction.REPORT).build()
        .check(InputContext.of("you idiot, I will kill you"));
    assertThat(verdict).isInstanceOf(GuardVerdict.Pass.class);
    assertThat(verdict.findings()).extracting(Finding::type).containsExactly("INSULT", "THREAT");
    assertThat(verdict.riskScore()).isEqualTo(1.0);
  }

  @Test
  void categoriesAddedAndRemovedTerms() {
    ToxicityGuard threatsOnly = ToxicityGuard.builder().categories(List.of("threat")).build();
    assertThat(threatsOnly.check(InputContext.of("fuck"))).isEqualTo(GuardVerdict.pass());
    assertThat(threatsOnly.check(InputContext.of("kill yourself"))).isInstanceOf(GuardVerdict.Block.class);

    ToxicityGuard custom = ToxicityGuard.builder().addTerm("frak", "profanity", 0.6)
        .removeTerms(List.of("Idiot")).build();
    assertThat(custom.check(InputContext.of("frrrak you"))).isInstanceOf(GuardVerdict.Block.class);
    assertThat(custom.check(InputContext.of("you idiot"))).isEqualTo(GuardVerdict.pass());
    assertThat(custom.termCount()).isEqualTo(guard.termCount());
  }

  @Test
  void shipsAModerateLexicon() {
    assertThat(guard.termCount()).isBetween(100, 400);
  }

  /** A classifier that calls a text toxic with the score of how many times it contains "grr". */
  private static final class GrrClassifier implements TextClassifier {
    int calls;

    @Override
    public List<Classification> classifyAll(List<String> texts) {
      calls++;
      List<Classification> out = new ArrayList<>();
      for (String t : texts) {
        double s = Math.min(1, (t.length() - t.toLowerCase(Locale.ROOT).replace("grr", "").length()) / 3 * 0.3);
        out.add(new Classification(List.of(new LabelScore("toxic", s), new LabelScore("ok", 1 - s))));
      }
      return out;
    }

    @Override
    public List<String> labels() {
      return List.of("toxic", "ok");
    }
  }

  @Test
  void classifierScoreIsCombinedWithTheLexicon() {
    GrrClassifier clf = new GrrClassifier();
    ToxicityGuard withClassifier = ToxicityGuard.builder().classifier(clf).classifierThreshold(0.8).build();
    assertThat(withClassifier.check(InputContext.of("grr grr"))).isEqualTo(GuardVerdict.pass());
    GuardVerdict flagged = withClassifier.check(InputContext.of("grr grr grr"));
    assertThat(flagged).isInstanceOf(GuardVerdict.Block.class);
    assertThat(flagged.findings()).extracting(Finding::type).containsExactly("TOXICITY");
    assertThat(flagged.riskScore()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
    GuardVerdict both = withClassifier.check(InputContext.of("you moron"));
    assertThat(both.findings()).extracting(Finding::type).containsExactly("INSULT");
    assertThat(clf.calls).isEqualTo(3);

    GuardVerdict masked = ToxicityGuard.builder().classifier(clf).classifierThreshold(0.8)
        .action(ContentAction.MASK).build().check(OutputContext.of("grr grr grr grr"));
    assertThat(masked).as("nothing to mask: falls back to block").isInstanceOf(GuardVerdict.Block.class);
  }

  @Test
  void longTextsAreClassifiedBySentenceRuns() {
    GrrClassifier clf = new GrrClassifier();
    ToxicityGuard withClassifier = ToxicityGuard.builder().classifier(clf).classifierThreshold(0.8)
        .maxClassifierChars(100).build();
    String text = "A calm sentence about gardens. ".repeat(20) + "grr grr grr grr. " + "More calm words. ".repeat(20);
    GuardVerdict verdict = withClassifier.check(InputContext.of(text));
    assertThat(verdict).isInstanceOf(GuardVerdict.Block.class);
    assertThat(verdict.findings().get(0).span().of(text)).contains("grr grr grr grr");
  }

  @Test
  void builderRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> ToxicityGuard.builder().categories(List.of("rude"))).hasMessageContaining("rude");
    assertThatThrownBy(() -> ToxicityGuard.builder().categories(List.of())).hasMessageContaining("at least one");
    assertThatThrownBy(() -> ToxicityGuard.builder().minSeverity(0)).hasMessageContaining("0.0");
    assertThatThrownBy(() -> ToxicityGuard.builder().addTerm("x", "insult", 2)).hasMessageContaining("2.0");
    assertThatThrownBy(() -> ToxicityGuard.builder().addTerm("123", "insult", 0.5)).hasMessageContaining("123");
    assertThatThrownBy(() -> ToxicityGuard.builder().classifier(new GrrClassifier()).classifierLabel("hate").build())
        .hasMessageContaining("hate");
    assertThatThrownBy(() -> ToxicityGuard.builder().useLexicon(false).build()).hasMessageContaining("classifier");
  }
}
