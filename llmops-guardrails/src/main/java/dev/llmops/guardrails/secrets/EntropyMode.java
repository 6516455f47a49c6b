package dev.llmops.guardrails.secrets;

/** When {@link SecretsGuard} reports high-entropy strings that match no known key format. */
public enum EntropyMode {
  /** Never. */
  OFF,
  /** Only when a word such as key, token, secret, password or bearer comes just before the string. */
  NEAR_KEYWORD,
  /**
   * Near such a word, or when the string is long on its own (by default 40 or more base64 characters with upper
   * case, lower case and digits, and not a hash, a data URI, a PEM or a multi-line blob).
   */
  NEAR_KEYWORD_OR_LONG
}
