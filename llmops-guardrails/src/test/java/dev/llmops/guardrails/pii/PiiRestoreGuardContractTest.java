package dev.llmops.guardrails.pii;

import dev.llmops.core.guard.Guard;
import dev.llmops.guardrails.GuardContractTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The guard contract for {@link PiiRestoreGuard}, over a vault holding two pseudonyms of one conversation. */
class PiiRestoreGuardContractTest extends GuardContractTest {

  private static final Map<String, String> CONVERSATION = Map.of("conversation_id", "c-1");
  private static final PiiVault VAULT = PiiVault.inMemory(Duration.ofDays(365));
  private static final String EMAIL;
  private static final String PHONE;

  static {
    String scope = java.util.Objects.requireNonNull(PiiGuard.scope(null, CONVERSATION, "conversation_id"));
    EMAIL = VAULT.pseudonymize(scope, PiiEntities.EMAIL_ADDRESS, "jane.doe@example.com").orElseThrow();
    PHONE = VAULT.pseudonymize(scope, PiiEntities.PHONE_NUMBER, "+44 20 7946 0958").orElseThrow();
  }

  private static final PiiRestoreGuard GUARD = PiiRestoreGuard.of(VAULT);

  @Override
  protected dev.llmops.core.guard.GuardVerdict check(String text) {
    return GUARD.check(new dev.llmops.core.guard.OutputContext(text, "", List.of(), List.of(), null, CONVERSATION));
  }

  @Override
  protected Guard guard() {
    return GUARD;
  }

  @Override
  protected List<String> triggeringTexts() {
    return List.of("I will write to " + EMAIL + " today", "Calling " + PHONE + " and " + EMAIL);
  }

  @Override
  protected List<String> benignTexts() {
    return List.of("Nothing personal here.", "An unknown <EMAIL_ADDRESS_99> stays as it is.", "<EMAIL_ADDRESS>");
  }

  @Override
  protected boolean detailsMayQuoteMatches() {
    return false;
  }

  @Override
  protected List<String> adversarialTexts() {
    return List.of("<EMAIL_ADDRESS_".repeat(7_000), "<A_".repeat(35_000), "<A_1".repeat(25_000),
        "<" + "A_".repeat(50_000) + "1>");
  }
}
