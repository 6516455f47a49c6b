package dev.llmops.guardrails.pii;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Remembers which pseudonym stands for which original value, per scope (a conversation, a tenant), so that
 * {@link PiiOperator#PSEUDONYMIZE} can hide personal data from a model and {@link PiiRestoreGuard} can put it
 * back into the answer for the authorised caller.
 *
 * <p>Pseudonyms look like {@code <EMAIL_ADDRESS_1>}: the entity type and a number counted per scope and type.
 * Within a scope the same type and value always get the same pseudonym, and a pseudonym restores only in the
 * scope that issued it. Implementations are safe to share across threads.
 */
public interface PiiVault {

  /**
   * The pseudonym of {@code original} in {@code scope}, issuing a new one on first sight.
   *
   * @param scope whose pseudonym it is (for example tenant and conversation id)
   * @param type the entity type, such as {@code EMAIL_ADDRESS}
   * @param original the value to hide
   * @return the pseudonym, or empty when the vault cannot remember another value for this scope (it is full);
   *     the guard then falls back to an irreversible placeholder
   */
  Optional<String> pseudonymize(String scope, String type, String original);

  /**
   * The original value behind {@code pseudonym} in {@code scope}.
   *
   * @return the original, or empty when the pseudonym was not issued in this scope or has expired
   */
  Optional<String> restore(String scope, String pseudonym);

  /**
   * A vault in memory: a scope is forgotten {@code ttl} after its last use, and when more than
   * {@code maxScopes} scopes are live the least recently used are forgotten first. Each scope holds at most
   * {@value InMemoryPiiVault#MAX_VALUES_PER_SCOPE} values.
   *
   * @param ttl how long an unused scope is kept; positive
   * @param maxScopes how many scopes are kept at most; positive
   * @param clock the time source, injected so tests can move it
   * @throws IllegalArgumentException for a non-positive ttl or size, naming the value
   */
  static PiiVault inMemory(Duration ttl, int maxScopes, Clock clock) {
    return new InMemoryPiiVault(ttl, maxScopes, clock);
  }

  /** {@link #inMemory(Duration, int, Clock)} with at most 100,000 scopes and the system clock. */
  static PiiVault inMemory(Duration ttl) {
    return new InMemoryPiiVault(ttl, 100_000, Clock.systemUTC());
  }
}
