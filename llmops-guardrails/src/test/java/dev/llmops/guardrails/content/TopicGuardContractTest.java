package dev.llmops.guardrails.content;

import dev.llmops.core.guard.Guard;
import dev.llmops.guardrails.GuardContractTest;
import dev.llmops.test.DeterministicEmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/** The guard contract for {@link TopicGuard} with the hashing test embedder, allowed and banned topics. */
class TopicGuardContractTest extends GuardContractTest {

  static TopicGuard billingGuard() {
    return TopicGuard.builder()
        .embeddingModel(DeterministicEmbeddingModel.create())
        .allowedTopic("billing", List.of("How do I update my credit card on my account?",
            "Why was I charged twice this month?", "I want a refund for my subscription"), List.of("invoice"), 0.4)
        .bannedTopic("investment-advice", List.of("Which stocks should I buy to get rich?",
            "Give me investment advice about shares"), List.of("bitcoin", "crypto", "stock tips"), 0.45)
        .build();
  }

  private static final TopicGuard GUARD = billingGuard();

  @Override
  protected Guard guard() {
    return GUARD;
  }

  @Override
  protected List<String> triggeringTexts() {
    return List.of("Which stocks should I buy this year?", "Should I put my savings into Bitcoin?",
        "What is the capital of France?", "Write me a poem about the sea",
        "How can I update the credit card on my account? Also, which stocks should I buy this year?");
  }

  @Override
  protected List<String> benignTexts() {
    return List.of("How can I update the credit card on my account?", "I was charged twice, can I get a refund?",
        "Please send me the invoice for March.", "my subscription refund");
  }

  @Override
  protected List<String> adversarialTexts() {
    List<String> texts = new ArrayList<>();
    for (String f : List.of("b i t c o i ", "b.i.t.c.o.", "bitcoi", "stock stock tip", "a.b.c.d.", "a ",
        "crypt0 ", "-_-_", "\u0441\u0440\u0443pto ")) {
      texts.add(f.repeat(100_000 / f.length() + 1));
    }
    texts.add("x".repeat(100_000));
    return texts;
  }
}
