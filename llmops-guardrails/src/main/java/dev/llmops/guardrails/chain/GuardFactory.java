package dev.llmops.guardrails.chain;

import dev.llmops.core.guard.Guard;

/**
 * Makes a guard from its entry in a policy file. The built-in guards have factories already; register your own
 * with {@link GuardResources.Builder#factory(GuardFactory)} to name custom guards in policy files.
 */
public interface GuardFactory {

  /** The name policy files use for this guard, such as {@code prompt-injection}. */
  String guard();

  /**
   * Creates the guard.
   *
   * @param options the entry's {@code options}; read what the guard takes, the caller rejects the rest
   * @param resources what the application supplies (models, vaults, keys)
   * @return an {@link dev.llmops.core.guard.InputGuard}, an {@link dev.llmops.core.guard.OutputGuard} or both
   * @throws IllegalArgumentException for bad options, naming {@link GuardOptions#path()}
   * @throws IllegalStateException when a resource the guard needs was not supplied
   */
  Guard create(GuardOptions options, GuardResources resources);
}
