package dev.llmops.guardrails.secrets;

/**
 * The kinds of secret {@link SecretsGuard} recognises. The enum constant's name is the
 * {@link dev.llmops.core.guard.Finding#type() finding type} and the label in the redaction placeholder
 * ({@code [REDACTED:AWS_ACCESS_KEY]}); {@link #score()} is the finding's score.
 */
public enum SecretType {
  /** An AWS access key id ({@code AKIA}/{@code ASIA} and the other documented prefixes, 20 characters). */
  AWS_ACCESS_KEY(0.95),
  /** A 40-character AWS secret access key next to a key name such as {@code aws_secret_access_key}. */
  AWS_SECRET_KEY(0.95),
  /** A Google Cloud API key ({@code AIza} and 35 more characters). */
  GCP_API_KEY(0.9),
  /** The {@code private_key} of a Google Cloud service-account JSON file. */
  GCP_SERVICE_ACCOUNT_KEY(1.0),
  /** An Azure storage or service-bus account key ({@code AccountKey=} or {@code SharedAccessKey=}). */
  AZURE_ACCOUNT_KEY(0.95),
  /** The signature of an Azure shared access signature URL ({@code sv=...&sig=...}). */
  AZURE_SAS_TOKEN(0.85),
  /** A GitHub token: classic ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_}) or fine-grained. */
  GITHUB_TOKEN(0.95),
  /** A GitLab personal access token ({@code glpat-}). */
  GITLAB_TOKEN(0.95),
  /** A Slack token ({@code xoxb-}, {@code xoxp-}, ... and {@code xapp-}). */
  SLACK_TOKEN(0.95),
  /** A Slack incoming-webhook URL. */
  SLACK_WEBHOOK(0.85),
  /** A Stripe live secret or restricted key ({@code sk_live_}, {@code rk_live_}). */
  STRIPE_SECRET_KEY(0.95),
  /** A Stripe test-mode secret key ({@code sk_test_}, {@code rk_test_}): no money at stake, still a credential. */
  STRIPE_TEST_KEY(0.4),
  /** A Stripe publishable key ({@code pk_live_}): public by design, reported below the default action score. */
  STRIPE_PUBLISHABLE_KEY(0.2),
  /** An OpenAI-style API key ({@code sk-...}, {@code sk-proj-...}). */
  OPENAI_API_KEY(0.9),
  /** An Anthropic-style API key ({@code sk-ant-...}). */
  ANTHROPIC_API_KEY(0.95),
  /** A JSON Web Token whose header decodes to JSON with an {@code alg} member. */
  JWT(0.8),
  /** A PEM private key block ({@code -----BEGIN ... PRIVATE KEY-----}), with or without its end line. */
  PRIVATE_KEY(1.0),
  /** The password part of a URL ({@code scheme://user:password@host}). */
  URL_PASSWORD(0.85),
  /** A value assigned to a password-like name ({@code password=...}, {@code "db_pwd": "..."}). */
  PASSWORD(0.7),
  /** A value assigned to a key- or token-like name ({@code api_key: ...}, {@code client_secret=...}). */
  GENERIC_SECRET(0.6),
  /** A high-entropy string near a word such as key, token, secret or password, or a very long one. */
  HIGH_ENTROPY_STRING(0.5);

  private final double score;

  SecretType(double score) {
    this.score = score;
  }

  /** The score findings of this type carry, in {@code [0, 1]}. */
  public double score() {
    return score;
  }

  /** The placeholder label, the same as {@link #name()}. */
  public String label() {
    return name();
  }
}
