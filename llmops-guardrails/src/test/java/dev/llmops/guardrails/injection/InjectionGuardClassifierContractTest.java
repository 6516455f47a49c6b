package dev.llmops.guardrails.injection;

import dev.llmops.core.guard.Guard;
import dev.llmops.guardrails.GuardContractTest;
import dev.llmops.test.DeterministicEmbeddingModel;
import java.util.List;

class InjectionGuardClassifierContractTest extends GuardContractTest {

  private static final DeterministicEmbeddingModel MODEL = Fixtures.model();
  private static final InjectionGuard GUARD = InjectionGuard.builder().embeddingModel(MODEL)
      .classifier(InjectionClassifier.train(MODEL, Fixtures.training(), TrainingSettings.defaults().withL2(1e-2)))
      .build();

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
