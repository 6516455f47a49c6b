package dev.llmops.guardrails.secrets;

/** What {@link SecretsGuard} does when it finds a secret at or above its action score. */
public enum SecretAction {
  /** Stop the request with a message that does not reveal what was found. */
  BLOCK,
  /** Go on with every secret replaced by a typed placeholder such as {@code [REDACTED:AWS_ACCESS_KEY]}. */
  REDACT,
  /** Go on unchanged, reporting the findings (pass with findings). */
  REPORT
}
