package dev.llmops.guardrails.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.OutputContext;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsGuardTest {

  private final SecretsGuard guard = SecretsGuard.defaults();

  @Test
  void findsEverySecretOfTheCorpusWithItsTypeAndExactSpan() {
    List<String> missed = new ArrayList<>();
    Set<SecretType> covered = EnumSet.noneOf(SecretType.class);
    for (SecretCorpus.Case c : SecretCorpus.secrets()) {
      List<Finding> findings = guard.scan(c.text());
      boolean found = findings.stream().anyMatch(f -> f.type().equals(c.type().name())
          && f.span() != null && f.span().of(c.text()).equals(c.value()));
      if (found) {
        covered.add(c.type());
      } else {
        missed.add(c.type() + " in <" + c.text() + "> got " + findings);
      }
    }
    assertThat(missed).as("recall must be 100%% on %s cases", SecretCorpus.secrets().size()).isEmpty();
    assertThat(covered).as("every type has a case").containsExactlyInAnyOrder(SecretType.values());
  }

  @Test
  void reportsNothingOnOrdinaryCodeConfigAndProse() {
    for (String text : SecretCorpus.benign()) {
      assertThat(guard.scan(text)).as("findings in%n%s", text).isEmpty();
    }
  }

  @Test
  void redactsWithTypedPlaceholdersByDefault() {
    String text = "key " + SecretCorpus.awsKeyId() + " and postgres://app:Tr0ub4dor-3x@db/app";
    GuardVerdict verdict = guard.check(OutputContext.of(text));
    assertThat(verdict).isInstanceOf(GuardVerdict.Rewrite.class);
    assertThat(((GuardVerdict.Rewrite) verdict).text())
        .isEqualTo("key [REDACTED:AWS_ACCESS_KEY] and postgres://app:[REDACTED:URL_PASSWORD]@db/app");
    assertThat(verdict.riskScore()).isEqualTo(SecretType.AWS_ACCESS_KEY.score());
    assertThat(guard.check(InputContext.of(text))).isInstanceOf(GuardVerdict.Rewrite.class);
  }

  @Test
  void blocksWithAMessageThatDoesNotRevealTheSecret() {
    SecretsGuard blocking = SecretsGuard.builder().inputAction(SecretAction.BLOCK).build();
    String text = "AWS_ACCESS_KEY_ID=" + SecretCorpus.awsKeyId();
    GuardVerdict verdict = blocking.check(InputContext.of(text));
    assertThat(verdict).isInstanceOf(GuardVerdict.Block.class);
    assertThat(((GuardVerdict.Block) verdict).safeMessage()).doesNotContain(SecretCorpus.awsKeyId())
        .doesNotContainIgnoringCase("aws");
    assertThat(blocking.check(OutputContext.of(text))).isInstanceOf(GuardVerdict.Rewrite.class);
  }

  @Test
  void reportActionPassesWithFindings() {
    SecretsGuard reporting = SecretsGuard.builder().action(SecretAction.REPORT).build();
    GuardVerdict verdict = reporting.check(InputContext.of("token ghp_" + SecretCorpus.fake(36)));
    assertThat(verdict).isInstanceOf(GuardVerdict.Pass.class);
    assertThat(verdict.findings()).extracting(Finding::type).containsExactly("GITHUB_TOKEN");
    assertThat(verdict.riskScore()).isEqualTo(0.95);
  }

  @Test
  void lowRiskTypesAreReportedButNotActedOn() {
    String pk = "pk_" + "live_" + SecretCorpus.fake(24);
    GuardVerdict verdict = guard.check(OutputContext.of("Stripe('" + pk + "')"));
    assertThat(verdict).isInstanceOf(GuardVerdict.Pass.class);
    assertThat(verdict.findings()).extracting(Finding::type).containsExactly("STRIPE_PUBLISHABLE_KEY");

    GuardVerdict strict = SecretsGuard.builder().minScore(0.1).build().check(OutputContext.of("Stripe('" + pk + "')"));
    assertThat(((GuardVerdict.Rewrite) strict).text()).isEqualTo("Stripe('[REDACTED:STRIPE_PUBLISHABLE_KEY]')");
  }

  @Test
  void redactsOnlyTheValueOfAnAssignment() {
    GuardVerdict verdict = guard.check(OutputContext.of("password = \"Hunter2fake!\"\nuser = app"));
    assertThat(((GuardVerdict.Rewrite) verdict).text()).isEqualTo("password = \"[REDACTED:PASSWORD]\"\nuser = app");
  }

  @Test
  void privateKeyBlockIsOneFindingCoveringHeaderToEndLine() {
    String block = "-----BEGIN EC PRIVATE KEY-----\n" + SecretCorpus.pemBody() + "-----END EC PRIVATE KEY-----";
    List<Finding> findings = guard.scan("before\n" + block + "\nafter");
    assertThat(findings).hasSize(1);
    assertThat(findings.get(0).span().of("before\n" + block + "\nafter")).isEqualTo(block);
  }

  @Test
  void jwtNeedsAHeaderWithAlg() {
    java.util.Base64.Encoder enc = java.util.Base64.getUrlEncoder().withoutPadding();
    String noAlg = enc.encodeToString("{\"typ\":\"JWT\",\"kid\":\"k1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
        + ".eyJzdWIiOiIxIn0." + "abc";
    assertThat(guard.scan("value " + noAlg)).extracting(Finding::type).doesNotContain("JWT");
    assertThat(guard.scan("value " + SecretCorpus.jwt())).extracting(Finding::type).containsExactly("JWT");
  }

  @Test
  void entropyRuleNeedsAKeywordOrLength() {
    String opaque = SecretCorpus.fake(28);
    assertThat(guard.scan("the session token: " + opaque)).extracting(Finding::type)
        .containsExactly("HIGH_ENTROPY_STRING");
    assertThat(guard.scan("the value is " + opaque)).isEmpty();
    assertThat(SecretsGuard.builder().entropyMode(EntropyMode.OFF).build().scan("token " + opaque)).isEmpty();
    String longOne = SecretCorpus.fake(60);
    assertThat(guard.scan("value " + longOne)).hasSize(1);
    assertThat(SecretsGuard.builder().entropyMode(EntropyMode.NEAR_KEYWORD).build().scan("value " + longOne))
        .isEmpty();
    assertThat(SecretsGuard.builder().longLength(20, 50).build().scan("value " + longOne)).isEmpty();
  }

  @Test
  void shannonEntropyIsInBitsPerCharacter() {
    assertThat(SecretScanner.shannon("aaaa")).isEqualTo(0.0);
    assertThat(SecretScanner.shannon("abab")).isEqualTo(1.0);
    assertThat(SecretScanner.shannon("0123456789abcdef")).isEqualTo(4.0);
  }

  @Test
  void disabledAndEnabledTypesAreHonoured() {
    String text = "AKIA" + "IOSFODNN7EXAMPLE ghp_" + SecretCorpus.fake(36);
    assertThat(SecretsGuard.builder().disabledTypes(List.of("aws_access_key")).build().scan(text))
        .extracting(Finding::type).containsExactly("GITHUB_TOKEN");
    assertThat(SecretsGuard.builder().enabledTypes(List.of("AWS_ACCESS_KEY")).build().scan(text))
        .extracting(Finding::type).containsExactly("AWS_ACCESS_KEY");
  }

  @Test
  void customPlaceholder() {
    GuardVerdict verdict = SecretsGuard.builder().placeholder("<{type}>").build()
        .check(OutputContext.of("id " + SecretCorpus.awsKeyId()));
    assertThat(((GuardVerdict.Rewrite) verdict).text()).isEqualTo("id <AWS_ACCESS_KEY>");
  }

  @Test
  void builderRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> SecretsGuard.builder().minScore(1.5)).hasMessageContaining("1.5");
    assertThatThrownBy(() -> SecretsGuard.builder().disabledTypes(List.of("AWS_KEYZ")))
        .hasMessageContaining("AWS_KEYZ");
    assertThatThrownBy(() -> SecretsGuard.builder().enabledTypes(List.of())).hasMessageContaining("at least one");
    assertThatThrownBy(() -> SecretsGuard.builder().longLength(10, 50)).hasMessageContaining("10..50");
    assertThatThrownBy(() -> SecretsGuard.builder().keywordEntropy(0)).hasMessageContaining("0.0");
    assertThatThrownBy(() -> SecretsGuard.builder().blockMessage(" ")).hasMessageContaining("blockMessage");
    assertThatThrownBy(() -> SecretsGuard.builder().placeholder("")).hasMessageContaining("placeholder");
  }

  @Test
  void nameAndVersion() {
    assertThat(guard.name()).isEqualTo("secrets");
    assertThat(guard.version()).isEqualTo("1");
  }
}
