package dev.llmops.guardrails.injection;

import dev.llmops.core.guard.Guard;
import dev.llmops.guardrails.GuardContractTest;
import java.util.List;

class InjectionGuardRulesContractTest extends GuardContractTest {

  private static final InjectionGuard GUARD = InjectionGuard.defaults();

  @Override
  protected Guard guard() {
    return GUARD;
  }

  @Override
  protected List<String> triggeringTexts() {
    return Fixtures.injections();
  }

  @Override
  protected List<String> benignTexts() {
    return Fixtures.benign();
  }

  @Override
  protected List<String> adversarialTexts() {
    return Fixtures.adversarial();
  }
}
