package dev.llmops.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.TextSpan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardVerdictTest {

  private static final Finding EMAIL = new Finding("EMAIL_ADDRESS", new TextSpan(3, 20), 0.9, "an e-mail address");

  @Test
  void factoriesBuildEachOutcome() {
    assertThat(GuardVerdict.pass()).isEqualTo(new GuardVerdict.Pass(0, List.of()));
    assertThat(GuardVerdict.rewrite("masked", 0.4, List.of(EMAIL)).text()).isEqualTo("masked");
    assertThat(GuardVerdict.block("Sorry, I can't help with that.", 1, List.of(EMAIL)).safeMessage())
        .isEqualTo("Sorry, I can't help with that.");
    assertThat(GuardVerdict.reask("Answer without the address.", 0.5, List.of()).instruction())
        .isEqualTo("Answer without the address.");
    assertThat(GuardVerdict.escalate("looks like fraud", 0.7, List.of(EMAIL)).reason()).isEqualTo("looks like fraud");
    assertThat(GuardVerdict.rewrite("masked", 0.4, List.of(EMAIL)).findings()).containsExactly(EMAIL);
  }

  @Test
  void onlyPassAndRewriteLetTheRequestGoOn() {
    assertThat(GuardVerdict.pass().allowsContinuing()).isTrue();
    assertThat(GuardVerdict.rewrite("x", 0.1, List.of()).allowsContinuing()).isTrue();
    assertThat(GuardVerdict.block("no", 1, List.of()).allowsContinuing()).isFalse();
    assertThat(GuardVerdict.reask("again", 1, List.of()).allowsContinuing()).isFalse();
    assertThat(GuardVerdict.escalate("human", 1, List.of()).allowsContinuing()).isFalse();
  }

  @Test
  void riskScoresMustBeProbabilities() {
    assertThatThrownBy(() -> new GuardVerdict.Pass(1.5, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> GuardVerdict.block("no", -0.1, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-0.1");
    assertThatThrownBy(() -> GuardVerdict.rewrite("x", Double.NaN, List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void messagesForUsersModelsAndReviewersMustNotBeBlank() {
    assertThatThrownBy(() -> GuardVerdict.block(" ", 1, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("block");
    assertThatThrownBy(() -> GuardVerdict.reask("", 1, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("re-ask");
    assertThatThrownBy(() -> GuardVerdict.escalate("\t", 1, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("escalate");
  }

  @Test
  void findingsAreCopied() {
    List<Finding> findings = new ArrayList<>(List.of(EMAIL));
    GuardVerdict verdict = GuardVerdict.escalate("check", 0.5, findings);

    findings.clear();

    assertThat(verdict.findings()).containsExactly(EMAIL);
  }

  @Test
  void findingsValidateTheirFields() {
    assertThatThrownBy(() -> new Finding(" ", null, 0.5, "d")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Finding("T", null, 1.01, "d")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.01");
    assertThat(new Finding("T", null, 0, "").span()).isNull();
  }
}
