package dev.llmops.guardrails.pii;

/**
 * How {@link PiiGuard} replaces a match when it rewrites a text. Chosen per entity type, with a default for the
 * rest; examples are for the e-mail address {@code jane@example.com} and the card {@code 4111 1111 1111 1111}.
 */
public enum PiiOperator {
  /** Removes the match: {@code ""}. */
  REDACT,
  /**
   * Replaces every letter and digit but the last few (four by default) with the mask character, keeping
   * separators: {@code **** **** **** 1111}, {@code ****@******e.com}.
   */
  MASK,
  /** The entity type in angle brackets: {@code <EMAIL_ADDRESS>}. */
  PLACEHOLDER,
  /**
   * The entity type numbered by order of first appearance in the text, the same value getting the same number:
   * {@code <EMAIL_ADDRESS_1>}. Not reversible; see {@link #PSEUDONYMIZE}.
   */
  NUMBERED_PLACEHOLDER,
  /**
   * A keyed hash: the first hex digits (16 by default) of HMAC-SHA256 over the type and value with the
   * user-supplied key, so equal values give equal tokens without revealing them: {@code <EMAIL_ADDRESS_9f86d081884c7d65>}.
   */
  HASH,
  /**
   * A numbered pseudonym remembered in a {@link PiiVault} for the conversation, so that {@link PiiRestoreGuard}
   * can put the original back into the answer: {@code <EMAIL_ADDRESS_1>}. Needs a vault.
   */
  PSEUDONYMIZE
}
