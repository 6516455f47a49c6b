package dev.llmops.guardrails.secrets;

import dev.llmops.core.guard.Guard;
import dev.llmops.guardrails.GuardContractTest;
import java.util.ArrayList;
import java.util.List;

/** The guard contract for {@link SecretsGuard}, with near-misses of each of its patterns as adversarial input. */
class SecretsGuardContractTest extends GuardContractTest {

  private static final SecretsGuard GUARD = SecretsGuard.defaults();

  @Override
  protected Guard guard() {
    return GUARD;
  }

  @Override
  protected List<String> triggeringTexts() {
    return SecretCorpus.secrets().stream().map(SecretCorpus.Case::text).toList();
  }

  @Override
  protected List<String> benignTexts() {
    return SecretCorpus.benign();
  }

  @Override
  protected boolean detailsMayQuoteMatches() {
    return false;
  }

  @Override
  protected List<String> adversarialTexts() {
    List<String> fragments = List.of(
        SecretCorpus.fakeBase64(64),
        SecretCorpus.fakeBase64(45) + " ",
        "key " + SecretCorpus.fake(19) + " ",
        "-----BEGIN ",
        "-----BEGIN RSA PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----\n" + SecretCorpus.fakeBase64(64) + "\n",
        "-----BEGIN CERTIFICATE-----\n",
        "-----END PRIVATE KEY-----",
        "sk-", "sk-ant-", "sk-proj-", "sk-" + SecretCorpus.fake(19) + "-",
        "xoxb-", "xoxb-123456-", "xoxp-1234567890-", "xapp-1-",
        "0123456789abcdef",
        "a.b.c.d.",
        "a.",
        "eyJhbGci.", "eyJhbGciOiJ.eyJ", "eyJ-",
        "AKIA", "AKIAIOSFODNN7EXAMPL ",
        "AIza", "ghp_", "github_pat_", "glpat-", "sk_live_", "pk_live_",
        "AccountKey=", "?sv=2022-01-01&sig=", "&sig=" + SecretCorpus.fake(29) + " ",
        "https://hooks.slack.com/services/",
        "postgres://user:pass", "a://b:c:", "://:@",
        "password=", "password: \"", "api_key=\"x", "token: ", "secret=secret",
        "aws_secret_access_key=", "\"private_key\": \"-----BEGIN PRIVATE KEY-----\\n",
        "=".repeat(64), "/".repeat(64) + " ");
    List<String> texts = new ArrayList<>();
    for (String f : fragments) {
      texts.add(f.repeat(100_000 / f.length() + 1));
    }
    texts.add("password=" + "a1".repeat(60_000));
    texts.add("-----BEGIN RSA PRIVATE KEY-----\n" + (SecretCorpus.fakeBase64(64) + "\n").repeat(1_600));
    texts.add("token " + (SecretCorpus.fake(40) + " ").repeat(2_500));
    return texts;
  }
}
