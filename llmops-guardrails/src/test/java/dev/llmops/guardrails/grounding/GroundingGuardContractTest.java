package dev.llmops.guardrails.grounding;

import dev.llmops.core.guard.Guard;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.guardrails.GuardContractTest;
import java.util.List;

class GroundingGuardContractTest extends GuardContractTest {

  private final GroundingGuard guard = GroundingGuard.defaults();

  @Override
  protected Guard guard() {
    return guard;
  }

  @Override
  protected GuardVerdict check(String text) {
    return guard.check(Chunks.answer(text));
  }

  @Override
  protected List<String> triggeringTexts() {
    return List.of(
        "Refunds are available within 90 days of purchase [handbook.md#0].",
        "The company was founded in Berlin by three former bankers [handbook.md#1].",
        "Shipping is free for orders over 50 dollars [handbook.md#7].",
        "Our chief executive personally reviews every complaint.",
        "Express delivery costs 15 dollars [^handbook.md#1]. Refunds require a signed affidavit from a notary [2].",
        "Premium customers can call the hotline at any time 【faq.md#9】.");
  }

  @Override
  protected List<String> benignTexts() {
    return List.of(
        "Refunds are available within 30 days of purchase [handbook.md#0].",
        "Express delivery costs 15 dollars and arrives in two business days [handbook.md#1]. "
            + "Customers must include the original receipt to get a refund [handbook.md#0].",
        "Do you want to know more? Shipping is free for orders over 50 dollars. [2]",
        "## Support hours\nThe support team answers emails Monday through Friday, 9:00 to 17:00 CET [faq.md#3, handbook.md#1].",
        "I don't know when the next sale starts.",
        "- Refunds are paid to the original payment method [^handbook.md#0]\n- We ship to 27 countries [1, 2]",
        "Premium customers can call the hotline at any time 【faq.md#3†L1-L2】.");
  }

  @Override
  protected List<String> adversarialTexts() {
    return List.of(
        "[".repeat(100_000),
        "[handbook.md#0".repeat(8_000),
        "[[[[handbook.md#0]".repeat(6_000),
        "\u3010".repeat(100_000),
        "[^".repeat(50_000),
        "1,".repeat(50_000),
        "9.".repeat(50_000),
        "a. ".repeat(35_000),
        "Refunds are available within 30 days [1] ".repeat(2_500),
        "[x](".repeat(25_000));
  }
}
